"""The demo (``tools/demo.py`` = ``tools/benchmark.py demo``) end to end at smoke size: generate ->
pretrain -> export -> pretext on actor-free clips -> fine-tune until the validation plateaus -> test -> frozen
features -> results.json/md/png (numbers meaningless here). The paper preset's variants: their configs, and
the preset's plan."""
import json

import pytest
from mmengine.config import Config
from official_trees import benchmark, load_tool

from mmrot3d.utils.shipped_files import shipped_path
from mmrot3d_harness.benchmark.synthetic_presets import PAPER_VARIANTS, check_bar

BACKBONES = ['scratch', 'rotnet3d']


@pytest.fixture(scope='module')
def demo(tmp_path_factory):
    work, data = tmp_path_factory.mktemp('demo'), tmp_path_factory.mktemp('synthetic')
    argv = ['--tiny', '--work-dir', work, '--data-root', data, '--splits', '1', '--data-workers', '1']
    results = load_tool('tools/demo.py').main([str(word) for word in argv])
    return dict(work=work, data=data, results=results, saved=json.loads((work / 'results.json').read_text()))


@pytest.mark.slow
def test_main_job_writes_every_number_and_the_bar(demo):
    saved, work = demo['saved'], demo['work']
    assert saved['backbone_order'] == BACKBONES and (demo['data'] / 'contact_sheet.png').is_file()
    assert (work / 'results.png').stat().st_size > 10_000
    for b in BACKBONES:
        run, = saved['finetune']['synthetic'][b]['full']['runs']
        assert 0 <= run['top1'] <= 1 and 0 <= run['mean_class_acc'] <= 1
        assert {'retrieval_R_at_1', 'linear_probe_top1'} <= set(saved['frozen']['synthetic'][b]['runs']['split1'])
        assert run['stop_reason'] in ('plateau', 'cap') and run['stopped_at'] <= 4
        assert run['best_step'] in [step for step, _ in run['val_curve']] and run['val_curve'][0][0] == 2
    assert set(saved['bar']['checks']) == {
        'scratch_trained_35pct', 'finetune_gain_5pts', 'linear_probe_gain_10pts', 'retrieval_r1_gain_10pts',
        'pretext_held_out_80pct', 'pretext_actor_free_35pct'
    }
    # the bar is read from this run's own numbers (its verdicts at each threshold: test_bar.py)
    bar, frozen, pretext = saved['bar'], saved['frozen']['synthetic'], saved['pretraining']['rotnet3d']
    assert bar == check_bar(saved['finetune']['synthetic'], frozen, saved['pretraining'])
    top1 = {b: saved['finetune']['synthetic'][b]['full']['runs'][0]['top1'] for b in BACKBONES}  # 1 split, 1 seed
    probe = {b: frozen[b]['runs']['split1']['linear_probe_top1'] for b in BACKBONES}
    r1 = {b: frozen[b]['runs']['split1']['retrieval_R_at_1'] for b in BACKBONES}
    assert bar['scratch_top1'] == pytest.approx(top1['scratch'])
    assert bar['finetune_gain'] == pytest.approx(top1['rotnet3d'] - top1['scratch'])
    assert bar['linear_probe_gain'] == pytest.approx(probe['rotnet3d'] - probe['scratch'])
    assert bar['retrieval_r1_gain'] == pytest.approx(r1['rotnet3d'] - r1['scratch'])
    assert bar['pretext_held_out'] == pretext['held_out']['rotation/top1']
    assert bar['pretext_actor_free'] == pretext['actor_free']['rotation/top1']
    assert bar['met'] == all(bar['checks'].values()) and demo['results']['bar'] == bar  # returned as saved
    audit = saved['evaluations']['cue_audit']['cue_audit/rotnet3d']  # the pretext's cues, on its held-out clips
    assert set(audit['controls']) == {
        'clips', 'static', 'shuffled', 'border only', 'centre only', 'layout only', 'position only'
    } and len(audit['reading']) in (1, 6)
    assert (work / 'jobs' / 'cue_audit' / 'rotnet3d' / 'audit.png').is_file()
    md = (work / 'results.md').read_text()
    for heading in ('## Fine-tuned top-1', '## Frozen backbone', '## Pretext accuracy', '## Fine-tuning until',
                    '**Bar: ', '## actor_share'):
        assert heading in md


@pytest.mark.slow
def test_actor_share_of_random_init_pretrained_and_fine_tuned_backbones(demo):
    share = demo['saved']['evaluations']['actor_share']
    assert set(share) == {f'actor_share/synthetic/{b}' for b in BACKBONES}
    for b in BACKBONES:
        found = share[f'actor_share/synthetic/{b}']
        who = ['random init', 'fine-tuned'] + ([] if b == 'scratch' else ['pretrained'])
        assert set(found) == {'actor area'} | {f'{w}: {s} share' for w in who for s in ('layer3', 'layer4')}
        assert 0 < found['actor area'] < 1 and all(0 <= v <= 1 for v in found.values())


@pytest.mark.slow
def test_pretext_is_measured_on_held_out_and_actor_free_clips(demo):
    pre = demo['saved']['pretraining']
    assert set(pre) == {'rotnet3d'}
    assert {f'rotation/acc_{a}deg' for a in (0, 90, 180, 270)} <= set(pre['rotnet3d']['held_out'])
    assert {f'rotation/acc_{a}deg' for a in (0, 90, 180, 270)} <= set(pre['rotnet3d']['actor_free'])


def test_variants_use_equal_compute():
    """32 clips through the backbone per step: 8 x 4 rotations, 32 x 1 random rotation, 16 x 2, 32 labelled."""
    per_step = {}
    for name, path in PAPER_VARIANTS.items():
        cfg = Config.fromfile(shipped_path(path))
        model, batch = cfg.model, cfg.train_dataloader.batch_size
        copies = len(model.angles) if model.type == 'RotationRecognizer' and model.rotate_in_model else 1
        per_step[name] = batch * copies
    assert per_step == {name: 32 for name in PAPER_VARIANTS}
    one_rotation = Config.fromfile(shipped_path(PAPER_VARIANTS['rotnet3d-1rot']))
    assert [t.type for t in one_rotation.train_dataloader.dataset.pipeline].count('VideoRotation') == 1
    half_turns = Config.fromfile(shipped_path(PAPER_VARIANTS['rotnet3d-0-180deg']))
    assert half_turns.model.angles == (0, 180) and half_turns.val_evaluator.angles == (0, 180)


@pytest.mark.slow
def test_each_split_validates_on_groups_carved_from_its_training_list(demo):
    lists = demo['work'] / 'lists' / 'validation' / 'split1'
    val = set((lists / 'val.txt').read_text().splitlines())
    sub = set((lists / 'train.txt').read_text().splitlines())
    test = (demo['data'] / 'ucf_style' / 'ucf101_val_split_1_videos.txt').read_text()
    assert val and not val & sub and not any(line.split()[0] in test for line in val)
    groups = {line.split('_g')[1][:2] for line in val}
    assert not any(f'_g{g}_' in line for g in groups for line in sub)
    command = demo['saved']['jobs']['finetune/synthetic/scratch/full/split1/seed0']['command']
    assert f'train_dataloader.dataset.ann_file={lists / "train.txt"}' in command
    assert f'val_dataloader.dataset.ann_file={lists / "val.txt"}' in command


@pytest.mark.slow
def test_paper_preset_lists_every_row(demo, tmp_path):
    printed = benchmark(['synthetic-paper', '--tiny', '--dry-run', '--data-root', demo['data'], '--work-dir', tmp_path])
    rows = ['scratch', 'scratch-residual', *PAPER_VARIANTS]  # a random init for each input
    assert {name.split('/')[1] for name in printed if name.startswith('pretrain/')} == set(PAPER_VARIANTS)
    tests = [name for name in printed if name.startswith('test/')]
    assert len(tests) == len(rows) * 3 * 3  # 3 splits x 3 seeds per row
    assert {name.split('/')[1] for name in printed if name.startswith('frozen/')} == {'synthetic'}
    assert '1200it_synthetic-kinetics-rgb.py' in printed['pretrain/rotnet3d']['command']
    assert '800it_synthetic-kinetics-rgb.py' in printed['pretrain/rotnet3d-800it']['command']
    for row in ('rotnet3d-pretrain-seed1', 'rotnet3d-residual-pretrain-seed1'):  # the same pretraining, its own seed
        command = printed[f'pretrain/{row}']['command']
        assert 'randomness.seed=1' in command and 'randomness.seed=0' not in command
    assert 'randomness.seed=0' in printed['pretrain/rotnet3d']['command']


@pytest.mark.slow
def test_the_shortcut_preset_pretrains_on_clips_with_bars_or_a_logo_with_and_without_the_guard(demo, tmp_path):
    printed = benchmark(
        ['synthetic-shortcuts', '--tiny', '--dry-run', '--data-root', demo['data'], '--work-dir', tmp_path])
    rows = {name.split('/')[1] for name in printed if name.startswith('pretrain/')}
    assert rows == {'rotnet3d-bars', 'rotnet3d-bars-guard', 'rotnet3d-logo', 'rotnet3d-logo-guard'}
    for row in rows:
        shortcut = 'bars' if 'bars' in row else 'logo'
        command = printed[f'pretrain/{row}']['command']
        assert f'{demo["data"]}-{shortcut}/kinetics_style' in command  # pretrained on the clips with the shortcut
        assert ('rotnet3d-crop-borders_' in command) == row.endswith('guard')
        assert f'{demo["data"]}-{shortcut}/kinetics_style' in printed[f'cue_audit/{row}']['command']
        assert f'data_prefix.video={demo["data"]}/ucf_style' in printed[f'finetune/synthetic/{row}/full/split1/seed0'][
            'command']  # fine-tuned on the clean labelled set
    with pytest.raises(SystemExit, match='--variants nope'):
        benchmark([
            'synthetic-paper', '--tiny', '--dry-run', '--data-root', demo['data'], '--work-dir', tmp_path, '--variants',
            'nope'
        ])
