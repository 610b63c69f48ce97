"""``tools/benchmark.py severe``: SEVERE's table for any checkpoint, on trees in each release's exact layout whose lists
our tools built (severe_trees.py; UCF101: official_trees.py): every job listed by --dry-run, SEVERE's recipe in
every config, bad input refused before any job, and a tiny real run to results.md (slow)."""
import json
import shutil
from pathlib import Path

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from official_trees import benchmark, damage, load_tool, official_tree

from mmrot3d.models.converters import to_torchvision
from mmrot3d.utils.shipped_files import shipped_path
from mmrot3d_harness.benchmark.severe_presets import GROUPS, PRESETS, SEVERE_ARCHITECTURES, preset
from mmrot3d_harness.benchmark.severe_report import severe_lines
from tests.harness.benchmark import severe_trees as trees

TABLE = GROUPS['severe']
# SEVERE's recipe per preset (configs/benchmark/<dataset>/112x112x32.yaml and *_scratch.yaml at 2f99365):
# classes, (epochs, passes, milestones, weight decay), the random init's (None: SEVERE has none)
RECIPES = {
    'ucf101-severe': (101, (16, 10, [6, 10, 14], 0.0), (20, 10, [10, 15, 18], 1e-4)),
    'ucf101-1000': (101, (16, 10, [6, 10, 14], 0.0), None),
    'sthv2': (174, (22, 2, [12, 17, 20], 0.0), (25, 2, [12, 19, 22], 1e-4)),
    'gym99': (99, (16, 10, [6, 10, 14], 0.0), (20, 10, [10, 15, 18], 1e-4)),
    'gym99-1000': (99, (16, 10, [6, 10, 14], 0.0), None),
    'fx-s1': (11, (18, 10, [7, 12, 16], 0.0), (18, 10, [7, 12, 16], 1e-5)),
    'ub-s1': (15, (18, 10, [7, 12, 16], 0.0), (18, 10, [7, 12, 16], 1e-5)),
    'gym288': (288, (16, 10, [6, 10, 14], 0.0), (20, 10, [10, 15, 18], 1e-4)),
    'diving48': (48, (16, 10, [6, 10, 14], 0.0), None),
}


@pytest.fixture(scope='module')
def roots(tmp_path_factory):
    """``--data-root`` words for every SEVERE preset: UCF101 (with SEVERE's 1000-sample list), SSv2, FineGym,
    Charades, each tree's lists built by our tools."""
    ucf = tmp_path_factory.mktemp('severe') / 'ucf101'
    shutil.copytree(official_tree('ucf101'), ucf)
    load_tool('tools/data/ucf101/build_severe_subset.py').main(['--root', str(ucf)])
    return dict(
        ucf101=ucf, sthv2=trees.built_tree('sthv2'), gym=trees.built_tree('gym'), charades=trees.built_tree('charades'))


def data_roots(where, **other):
    return [w for key, root in dict(where, **other).items() for w in ('--data-root', f'{key}={root}')]


NARROW = ['--cfg-options', 'model.backbone.base_channels=8', 'model.cls_head.in_channels=64']  # narrow_r2plus1d's


def narrow_r2plus1d(path):
    """A torchvision-keyed r2plus1d_18 state dict 8 channels wide (SEVERE's checkpoints are such files)."""
    cfg = Config.fromfile(shipped_path(preset('gym99', {}).config_path(1)))
    torch.manual_seed(3)
    module = MODELS.build(dict(cfg.model.backbone.to_dict(), base_channels=8))
    torch.save(to_torchvision(module.state_dict(), 'r2plus1d_18'), path)
    return path


@pytest.mark.parametrize('name', [p for p in PRESETS if p != 'charades'])
def test_every_config_holds_severes_recipe(name):
    classes, recipe, scratch = RECIPES[name]
    data = preset(name, {})
    for arch in SEVERE_ARCHITECTURES:
        for init, (epochs, passes, milestones, wd) in (('pretrained', recipe), ('scratch', scratch or recipe)):
            cfg = Config.fromfile(data.config_path(1, arch, scratch=init == 'scratch'))
            assert (init in cfg.filename) == (init == 'pretrained' or scratch is not None)
            assert cfg.model.cls_head.num_classes == classes and cfg.model.cls_head.dropout_ratio == 0
            assert cfg.model.data_preprocessor.mean == [123.675, 116.28, 103.53]  # ImageNet's, as SEVERE
            assert cfg.optim_wrapper.optimizer == dict(type='Adam', lr=1e-4, betas=(0.9, 0.999), weight_decay=wd)
            assert cfg.train_cfg.max_epochs == epochs * passes and cfg.train_cfg.val_interval == passes
            (step, ) = cfg.param_scheduler
            assert step.milestones == [m * passes for m in milestones] and step.gamma == 0.3
            train, test = cfg.train_dataloader, cfg.test_dataloader
            assert train.batch_size == 32 and train.drop_last
            sample, crop, jitter = (
                next(t for t in train.dataset.pipeline if t.type == k)
                for k in ('SampleFrames', 'RandomResizedCrop', 'ColorJitter'))
            assert (sample.clip_len, sample.frame_interval, sample.target_fps) == (32, 1, 16)
            assert crop.area_range == (0.08, 1.0) and dict(
                type='Resize', scale=(112, 112), keep_ratio=False) in train.dataset.pipeline
            assert (jitter.brightness, jitter.contrast, jitter.saturation) == (0.4, 0.4, 0.4)
            assert abs(jitter.hue * 255 / 180 - 0.2) < 1e-9  # 0.2 of a turn, in MMAction2's units
            sample = next(t for t in test.dataset.pipeline if t.type == 'SampleFrames')
            assert (sample.clip_len, sample.num_clips, sample.target_fps) == (32, 10, 16)
            assert dict(type='Resize', scale=(-1, 128)) in test.dataset.pipeline
            assert dict(type='CenterCrop', crop_size=112) in test.dataset.pipeline
            assert cfg.model.cls_head.average_clips == 'prob'


def test_charades_config_is_multi_label_with_map():
    cfg = Config.fromfile(preset('charades', {}).config_path(1))
    assert cfg.train_dataloader.dataset.multi_class and cfg.test_dataloader.dataset.num_classes == 157
    head = cfg.model.cls_head
    assert head.multi_class and head.loss_cls.type == 'BCELossWithLogits' and head.dropout_ratio == 0.5
    assert tuple(cfg.test_evaluator.metric_list) == ('mean_average_precision', )
    assert cfg.optim_wrapper.optimizer == dict(type='SGD', lr=0.0375, momentum=0.9, weight_decay=1e-4)
    assert cfg.train_cfg.max_epochs == 57 and cfg.param_scheduler[1].milestones == [41, 49]
    assert next(t for t in cfg.test_dataloader.dataset.pipeline if t.type == 'SampleFrames').num_clips == 10
    assert dict(type='ThreeCrop', crop_size=112) in cfg.test_dataloader.dataset.pipeline


def test_dry_run_lists_every_job_of_the_table(roots, tmp_path):
    theirs = narrow_r2plus1d(tmp_path / 'r2plus1d_18.pth')
    printed = benchmark([
        'severe', *data_roots(roots), '--work-dir', tmp_path / 'work', '--backbone', f'tv={theirs}', '--dry-run',
        *NARROW
    ])
    assert set(printed) == {
        f'{kind}/{d}/{b}/full/split1/seed0'
        for kind in ('finetune', 'test')
        for d in TABLE
        for b in ('scratch', 'tv')
    }
    for d in TABLE:
        scratch, tv = (printed[f'finetune/{d}/{b}/full/split1/seed0']['command'] for b in ('scratch', 'tv'))
        assert f'/configs/severe/r2plus1d18-torchvision_{"scratch" if RECIPES[d][2] else "pretrained"}_' in scratch
        assert '/configs/severe/r2plus1d18-torchvision_pretrained_' in tv
        assert f'pretrained_backbone.checkpoint={tmp_path}/work/backbones/tv.pth' in tv
        assert 'pretrained_backbone' not in scratch
        train, test = preset(d, {k: str(v) for k, v in roots.items()}).official_lists(1)
        assert f'train_dataloader.dataset.ann_file={train} ' in tv
        assert f'test_dataloader.dataset.ann_file={test} ' in tv
    assert not (tmp_path / 'work' / 'jobs').exists()


def test_charades_runs_beside_the_table(roots, tmp_path):
    printed = benchmark([
        'severe', 'charades', *data_roots(roots), '--work-dir', tmp_path, '--no-scratch', '--dry-run', '--backbone',
        f'tv={narrow_r2plus1d(tmp_path / "tv.pth")}', *NARROW
    ])
    assert len(printed) == 16 and 'configs/severe/r2plus1d18-torchvision_pretrained_1xb16-32x8x1-57e_charades-rgb.py' \
        in printed['finetune/charades/tv/full/split1/seed0']['command']


def test_a_damaged_video_is_named_before_any_job(roots, tmp_path):
    gym = trees.copy_tree('gym', tmp_path / 'gym')
    listed = (gym / 'annotations' / 'fx_s1_train.txt').read_text().split()[0]
    damage(gym / 'subactions' / listed, 'cut')
    with pytest.raises(SystemExit) as stop:
        benchmark(['fx-s1', 'ub-s1', '--data-root', f'gym={gym}', '--work-dir', tmp_path / 'work'])
    message = str(stop.value)
    assert message.startswith('error: 1 listed video(s) are bad (fx_s1_train.txt: 1); first: ')
    assert f'fx_s1_train.txt:1: {listed}: truncated or corrupt video' in message and '\n' not in message
    assert not (tmp_path / 'work' / 'jobs').exists()


# what replaces a preset's list -> how the refusal names it
MISFITS = {
    'gym99 labels as FX-S1': ('annotations/gym99_train.txt', 'fx-s1', r"fx_s1_train\.txt:3: label 75 out of range "
                              r"\[0, 11\): '\S+ 75' does not fit the FX-S1 preset \(fx-s1\), whose lists hold "
                              r"'<youtube id>_E_<start>_<end>_A_<start>_<end>\.mp4 <label 0\.\.10>' lines as python "
                              r'tools/data/gym/build_file_list\.py writes them'),
    "FineGym's element list": ('annotations/gym99_train_org.txt', 'fx-s1', r"fx_s1_train\.txt:1: not a \.mp4 file: "),
}


@pytest.mark.parametrize('case', MISFITS)
def test_a_list_that_fits_no_preset_is_refused_with_the_layout_it_expected(roots, tmp_path, case):
    source, name, says = MISFITS[case]
    gym = trees.copy_tree('gym', tmp_path / 'gym')
    shutil.copy(gym / source, gym / 'annotations' / 'fx_s1_train.txt')
    with pytest.raises(SystemExit, match=says):
        benchmark([name, '--data-root', f'gym={gym}', '--work-dir', tmp_path / 'work', '--dry-run'])


def test_an_sthv2_list_of_rawframes_is_refused(tmp_path):
    sthv2 = trees.copy_tree('sthv2', tmp_path / 'sthv2')
    (sthv2 / 'sthv2_val_list_videos.txt').write_text('172305 30 0\n')  # MMAction2's rawframes format
    with pytest.raises(
            SystemExit,
            match=r"sthv2_val_list_videos\.txt:1: 2 labels on a single-label line .*'172305 "
            r"30 0' does not fit the SSv2 preset \(sthv2\), whose lists hold '<id>\.webm <label 0\.\.173>'"):
        benchmark(['sthv2', '--data-root', f'sthv2={sthv2}', '--work-dir', tmp_path / 'work', '--dry-run'])


def test_a_missing_list_names_the_tool_that_writes_it(roots, tmp_path):
    gym = trees.copy_tree('gym', tmp_path / 'gym')
    (gym / 'annotations' / 'ub_s1_val.txt').unlink()
    with pytest.raises(
            SystemExit,
            match=f'error: {gym}/annotations/ub_s1_val.txt: video list not found; build the '
            f'lists with: python tools/data/gym/build_file_list.py --root {gym}$'):
        benchmark(['severe', *data_roots(roots, gym=gym), '--work-dir', tmp_path, '--dry-run'])


def test_splits_and_roots_follow_the_presets(tmp_path):
    with pytest.raises(SystemExit, match=r'different splits \(ucf101: 1 2 3, sthv2: 1\): give --splits'):
        benchmark(['ucf101', 'sthv2', '--work-dir', tmp_path, '--dry-run'])
    with pytest.raises(SystemExit, match=r'--splits 2: SSv2 \(sthv2\) has split\(s\) 1 only'):
        benchmark(['sthv2', '--splits', '2', '--work-dir', tmp_path, '--dry-run'])
    roots = dict(gym99='/g99', gym='/g')
    assert str(preset('gym99', roots).root) == '/g99' and str(preset('fx-s1', roots).video_root) == '/g/subactions'
    assert str(preset('ub-s1', dict(gym99='/g99')).root) == '/g99'
    assert preset('sthv2', {}).root == Path('data/sthv2').resolve()


def results(values):
    """A results document of backbones x datasets with these top-1 (or mAP) values."""
    finetune = {
        d: {
            b: dict(full=dict(summary={('mAP' if d == 'charades' else 'top1'): dict(mean=v, std=0.0, n=1)}))
            for b, v in row.items()
        }
        for d, row in values.items()
    }
    titles = {d: preset(d, {}).title for d in values}
    return dict(
        finetune=finetune,
        datasets=list(values),
        dataset_titles=titles,
        backbone_order=['scratch', 'mine'],
        settings=dict(seeds=[0]))


def test_results_md_has_severes_layout_with_the_published_anchors():
    lines = severe_lines(results({'sthv2': dict(scratch=0.25, mine=0.5), 'charades': dict(mine=0.125)}))
    start = next(i for i, line in enumerate(lines) if line.startswith('|  |'))
    assert lines[start:start + 3] == [
        '|  | Domain shift |  |  | Sample efficiency |  | Action granularity |  | Task shift |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        '| **backbone** | **UCF101** | **SSv2** | **Gym99** | **UCF (10³)** | **Gym (10³)** | **FX-S1** | **UB-S1** | '
        '**Charades** (mAP) |'
    ]
    assert '| scratch | – | 25.0 | – | – | – | – | – | – |' in lines
    assert '| mine | – | 50.0 | – | – | – | – | – | 12.5 |' in lines
    supervised = '| *Supervised (K400) [1]* | *91.4* | *60.8* | *92.1* | *86.0* | *51.2* | *79.0* | *87.1* | *23.5* |'
    assert supervised in lines
    assert '| *CtP [1]* | *90.1* | *59.6* | *92.0* | *63.7* | *31.2* | *79.1* | *88.8* | *9.6* |' in lines
    assert lines[-2].startswith('[1] SEVERE++ (Thoker et al., arXiv 2504.05706)')
    assert severe_lines(dict(results({}), finetune={}, datasets=['ucf101'])) == []  # the paper's preset: no table


@pytest.mark.slow
def test_a_tiny_real_run_writes_severes_table_and_resumes(roots, tmp_path, capsys):
    """SSv2, FX-S1 and Charades (multi-label, mAP) with a narrow R(2+1)D-18 in torchvision's layout, SEVERE's
    configs made small by --cfg-options the recognition and Charades configs share (width, 8 frames, 1 epoch,
    batch 2, 2 test clips)."""
    tiny = [
        'model.backbone.base_channels=8', 'model.cls_head.in_channels=64', 'train_cfg.max_epochs=1',
        'train_dataloader.batch_size=2', 'test_dataloader.dataset.pipeline.1.num_clips=2'
    ]
    tiny += [f'{loader}_dataloader.dataset.pipeline.1.clip_len=8' for loader in ('train', 'val', 'test')]
    argv = [
        'sthv2', 'fx-s1', 'charades', *data_roots(roots), '--work-dir', tmp_path / 'work', '--no-scratch', '--backbone',
        f'tv={narrow_r2plus1d(tmp_path / "tv.pth")}', '--cfg-options', *tiny
    ]
    saved = benchmark(argv)
    for d in ('sthv2', 'fx-s1'):
        assert saved['finetune'][d]['tv']['full']['summary']['top1']['n'] == 1
    charades = saved['finetune']['charades']['tv']['full']['summary']['mAP']
    assert charades['n'] == 1 and 0 < charades['mean'] <= 1
    md = (tmp_path / 'work' / 'results.md').read_text()
    top1 = {d: saved['finetune'][d]['tv']['full']['summary']['top1']['mean'] * 100 for d in ('sthv2', 'fx-s1')}
    assert (f"| tv | – | {top1['sthv2']:.1f} | – | – | – | {top1['fx-s1']:.1f} | – | {charades['mean'] * 100:.1f} |"
            in md)
    dumped = Config.fromfile(next((tmp_path / 'work/jobs/finetune/fx-s1/tv/full/split1/seed0').glob('*fx-s1-rgb.py')))
    assert dumped.param_scheduler[0].milestones == [70, 120, 160] and dumped.optim_wrapper.optimizer.type == 'Adam'
    assert json.loads((tmp_path / 'work' / 'results.json').read_text())['backbones']['tv']['architecture'] == \
        'r2plus1d18-torchvision'
    benchmark(argv)
    assert '6 job(s) finished by an earlier run: skipped' in capsys.readouterr().err
