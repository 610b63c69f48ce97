"""tools/benchmark.py on an official-layout UCF101 tree: 2 of its 3 splits x 2 backbones (a checkpoint of
"another codebase": torchvision's r3d_18 layout saved under ``module.``, told by its keys and converted, and the
random init of its architecture) with the real fine-tuning configs, made tiny by --cfg-options only; every run a
tools/train.py / tools/test.py / tools/eval_frozen.py job. The default plan takes all 3 splits (checked without
running it)."""
import json
import re

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from official_trees import benchmark, narrow_torchvision_file, official_tree, tiny_options

from mmrot3d.utils.shipped_files import shipped_path

CONFIG = shipped_path('configs/rotnet3d/finetune/r3d18_scratch_1xb32-16x2x1-150e_ucf101-split1-rgb.py')
BASELINE = 'scratch-r3d18-torchvision'  # the random init of the file's architecture


def backbone_file(path, base_channels=8, prefix='module.backbone.'):
    """A plain state dict as another codebase saves it: the backbone under ``prefix``, a head beside it."""
    cfg = Config.fromfile(CONFIG)
    torch.manual_seed(1)
    module = MODELS.build(dict(cfg.model.backbone.to_dict(), base_channels=base_channels))
    state = {f'{prefix}{k}': v for k, v in module.state_dict().items()}
    state['module.head.fc.weight'] = torch.zeros(3, 8 * base_channels)
    torch.save(state, path)
    return state


def with_classifier_under_module(state, base_channels=8):
    """As a training wrapper saves torchvision's r3d_18: its 400-class ``fc`` included, all under ``module.``."""
    state = {**state, 'fc.weight': torch.zeros(400, 8 * base_channels), 'fc.bias': torch.zeros(400)}
    return {f'module.{k}': v for k, v in state.items()}


@pytest.fixture(scope='module')
def ucf(tmp_path_factory):
    root, work = official_tree('ucf101'), tmp_path_factory.mktemp('ucf_benchmark')
    theirs = work / 'theirs.pth'
    state = narrow_torchvision_file(theirs, wrap=with_classifier_under_module)
    argv = [
        'ucf101', '--data-root', root, '--work-dir', work, '--splits', '1', '2', '--seeds', '0', '--backbone',
        f'theirs={theirs}', '--prefix', 'theirs=module.', '--cfg-options', *tiny_options()
    ]
    results = benchmark(argv)
    return dict(work=work, results=results, argv=argv, state=state, file=theirs)


@pytest.mark.slow
def test_every_number_per_backbone_split_and_frozen_split(ucf):
    saved = json.loads((ucf['work'] / 'results.json').read_text())
    assert saved['backbone_order'] == [BASELINE, 'theirs']
    for backbone in (BASELINE, 'theirs'):
        runs = saved['finetune']['ucf101'][backbone]['full']['runs']
        assert [(r['split'], r['seed']) for r in runs] == [(1, 0), (2, 0)]
        for r in runs:
            assert all(0 <= r[k] <= 1 for k in ('top1', 'top5', 'mean_class_acc'))
        summary = saved['finetune']['ucf101'][backbone]['full']['summary']
        assert {k: summary[k]['n'] for k in summary} == {'top1': 2, 'top5': 2, 'mean_class_acc': 2}
        frozen = saved['frozen']['ucf101'][backbone]
        assert set(frozen['runs']) == {'split1', 'split2'}
        for metrics in frozen['runs'].values():
            assert {f'retrieval_R_at_{k}' for k in (1, 5, 10, 20, 50)} | {'linear_probe_top1'} <= set(metrics)
            assert metrics['num_train'] == 12 and metrics['num_test'] == 6
        assert frozen['summary']['retrieval_R_at_1']['n'] == 2
    md = (ucf['work'] / 'results.md').read_text()
    assert '| backbone | UCF101 |' in md
    assert '| backbone | dataset | R@1 | R@5 | R@10 | R@20 | R@50 | linear probe |' in md
    top1 = saved['finetune']['ucf101']['theirs']['full']['summary']['top1']
    assert f"| theirs | {top1['mean'] * 100:.1f} ± {top1['std'] * 100:.1f} |" in md
    assert (ucf['work'] / 'results.png').stat().st_size > 10_000


@pytest.mark.slow
def test_each_run_is_a_standard_tool_job_with_the_configs_protocol(ucf):
    saved = json.loads((ucf['work'] / 'results.json').read_text())
    jobs = saved['jobs']
    assert len(jobs) == 10  # 4 fine-tunes, 4 tests, 2 frozen-feature runs
    for name, job in jobs.items():
        tool = dict(finetune='train.py', test='test.py', frozen='eval_frozen.py')[job['kind']]
        assert re.search(rf'python[0-9.]* \S*/tools/{tool} ', job['command']), job['command']  # python3 too
    train_dir = ucf['work'] / 'jobs' / 'finetune' / 'ucf101' / 'theirs' / 'full' / 'split2' / 'seed0'
    assert (train_dir / 'epoch_1.pth').is_file() and (train_dir / 'job.log').is_file()
    dumped = Config.fromfile(next(train_dir.glob('r3d18-torchvision_scratch_*.py')))
    assert dumped.optim_wrapper.optimizer.type == 'SGD' and dumped.optim_wrapper.optimizer.lr == 0.01
    assert dumped.param_scheduler[0].milestones == [60, 120]  # the config's schedule, only the length shortened
    test_dir = ucf['work'] / 'jobs' / 'test' / 'ucf101' / 'theirs' / 'full' / 'split2' / 'seed0'
    tested = Config.fromfile(next(test_dir.glob('r3d18-torchvision_scratch_*.py')))
    assert tested.test_dataloader.dataset.pipeline[1].num_clips == 10
    assert tested.test_dataloader.dataset.ann_file.endswith('ucf101_val_split_2_videos.txt')


def test_the_default_plan_takes_the_three_splits(tmp_path):
    root = official_tree('ucf101')
    printed = benchmark(['ucf101', '--data-root', root, '--work-dir', tmp_path, '--seeds', '0', '--dry-run'])
    lists = {name: job['command'] for name, job in printed.items() if name.startswith('finetune/')}
    assert sorted(lists) == [f'finetune/ucf101/scratch/full/split{k}/seed0' for k in (1, 2, 3)]
    for k in (1, 2, 3):
        assert f'ucf101_train_split_{k}_videos.txt' in lists[f'finetune/ucf101/scratch/full/split{k}/seed0']


@pytest.mark.slow
def test_foreign_backbone_is_converted_and_loaded_strictly(ucf):
    saved = json.loads((ucf['work'] / 'results.json').read_text())
    theirs = saved['backbones']['theirs']
    assert (theirs['architecture'], theirs['layout']) == ('r3d18-torchvision', 'torchvision')
    assert theirs['conversion'] == ('torchvision r3d_18 -> MMAction2 backbone: 120 tensors renamed, its classifier '
                                    'fc.weight and fc.bias (400x64) left out')
    installed = torch.load(ucf['work'] / 'backbones' / 'theirs.pth', weights_only=True)
    assert installed['meta']['conversion'] == theirs['conversion']
    assert installed['state_dict'].keys() == ucf['state'].keys()
    assert all(torch.equal(installed['state_dict'][k], v) for k, v in ucf['state'].items())
    log = (ucf['work'] / 'jobs/finetune/ucf101/theirs/full/split1/seed0/job.log').read_text()
    assert f'loaded {len(ucf["state"])} tensors into backbone from' in log
    scratch_log = ucf['work'] / 'jobs' / 'finetune' / 'ucf101' / BASELINE / 'full' / 'split1' / 'seed0' / 'job.log'
    assert 'tensors into backbone' not in scratch_log.read_text()
    md = (ucf['work'] / 'results.md').read_text()
    assert f'| theirs | r3d18-torchvision | {ucf["file"]} | {theirs["conversion"]} |' in md


@pytest.mark.slow
def test_running_again_repeats_nothing(ucf, capsys):
    before = {p: p.stat().st_mtime_ns for p in ucf['work'].glob('jobs/**/result.json')}
    again = benchmark(ucf['argv'])
    assert {p: p.stat().st_mtime_ns for p in ucf['work'].glob('jobs/**/result.json')} == before
    assert '10 job(s) finished by an earlier run: skipped' in capsys.readouterr().err
    assert again['finetune'] == ucf['results']['finetune'] and again['frozen'] == ucf['results']['frozen']


def test_a_backbone_that_does_not_fit_stops_before_any_job(tmp_path, capsys):
    bad = tmp_path / 'wide.pth'
    backbone_file(bad, base_channels=16)
    with pytest.raises(SystemExit) as stop:
        benchmark([
            'ucf101', '--data-root',
            official_tree('ucf101'), '--work-dir', tmp_path / 'work', '--backbone', f'wide={bad}', '--prefix',
            'wide=module.backbone.', '--cfg-options', *tiny_options()
        ])
    message = str(stop.value)
    assert message.startswith('error: --backbone wide=') and 'does not fit the backbone of' in message
    assert 'shape mismatches' in message and '\n' not in message
    assert not (tmp_path / 'work' / 'jobs').exists()


def test_dry_run_prints_torchrun_and_slurm_commands(tmp_path, capsys):
    root = official_tree('ucf101')
    common = [
        'ucf101', '--data-root', root, '--work-dir', tmp_path, '--seeds', '0', '--splits', '1', '--dry-run', '--gpus',
        '4', '--cfg-options', *tiny_options()
    ]
    printed = benchmark(common + ['--launcher', 'pytorch'])
    assert set(printed) == {
        'finetune/ucf101/scratch/full/split1/seed0', 'test/ucf101/scratch/full/split1/seed0', 'frozen/ucf101/scratch'
    }
    train = printed['finetune/ucf101/scratch/full/split1/seed0']
    assert train['state'] == 'todo'
    assert '-m torch.distributed.run --nproc_per_node=4' in train['command'] and train['command'].endswith(
        '--launcher pytorch')
    test = printed['test/ucf101/scratch/full/split1/seed0']['command']
    assert "'" + str(tmp_path / 'jobs/finetune/ucf101/scratch/full/split1/seed0/<last checkpoint>') + "'" in test
    slurm = benchmark(common + ['--launcher', 'slurm', '--partition', 'gpu', '--srun-args=--qos high'])
    line = slurm['finetune/ucf101/scratch/full/split1/seed0']['command']
    assert line.startswith('srun -p gpu') and '--gres=gpu:4 --ntasks=4' in line and '--qos high' in line
    assert not (tmp_path / 'jobs').exists()
    assert 'tools/train.py' in capsys.readouterr().out


def test_pretrain_config_is_checked_and_planned_before_its_backbone_is_used(tmp_path):
    root, pretrain = official_tree('ucf101'), 'configs/rotnet3d/rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py'
    printed = benchmark([
        'ucf101', '--data-root', root, '--work-dir', tmp_path, '--splits', '1', '--seeds', '0', '--pretrain-config',
        f'mine={pretrain}', '--no-scratch', '--dry-run'
    ])
    assert list(printed)[:2] == ['pretrain/mine', 'export/mine']
    assert re.search(r'tools/train\.py \S*/rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb\.py --work-dir',
                     printed['pretrain/mine']['command'])
    assert f'pretrained_backbone.checkpoint={tmp_path}/backbones/mine.pth' in \
        printed['finetune/ucf101/mine/full/split1/seed0']['command']
    with pytest.raises(SystemExit, match='builds a backbone that does not fit'):
        benchmark([
            'ucf101', '--data-root', root, '--work-dir', tmp_path, '--splits', '1', '--dry-run', '--pretrain-config',
            'x3d=configs/rotnet3d/rotnet3d_x3d-s_1xb32-16x2x1-50e_kinetics400-rgb.py'
        ])
