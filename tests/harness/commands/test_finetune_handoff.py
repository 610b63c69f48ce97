"""Pretrain -> export_backbone -> fine-tune -> test, through the standard tools, on tiny real videos.

The classic failure of this workflow is fine-tuning that silently starts from random weights; here
the export must fit the backbone tensor for tensor, or training stops before its first step.
"""
import pickle
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from conftest import load_tool, run_tool
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.logging import MMLogger

from mmrot3d.engine import PretrainedBackboneHook
from mmrot3d.models import BackboneCheckpointError, load_backbone_weights
from mmrot3d.utils.checkpoint import UntrustedCheckpointError, load_checkpoint_file

CONFIGS = Path(__file__).resolve().parents[2] / 'data' / 'configs'
PRETRAIN = CONFIGS / 'rotnet3d_tiny.py'
FINETUNE = CONFIGS / 'r3d18_finetune_tiny.py'


def data_options(video_dir, loaders):
    return [
        f'{loader}_dataloader.dataset.{key}={value}' for loader in loaders
        for key, value in (('ann_file', video_dir / 'list.txt'), ('data_prefix.video', video_dir))
    ]


def tool(name, *args):
    return run_tool(f'tools/{name}', *args)  # its command line, in this process


@pytest.fixture(scope='module')
def pretrained(video_dir, tmp_path_factory):
    """One tiny 3DRotNet pretraining epoch (validated) and its exported backbone."""
    root = tmp_path_factory.mktemp('pretrain')
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv('MMROT3D_TRUST_STORE', str(root / 'trusted.txt'))
        run = tool('train.py', PRETRAIN, '--work-dir', root / 'work', '--cfg-options',
                   *data_options(video_dir, ('train', 'val')), 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1')
        assert run.returncode == 0, run.stderr[-3000:]
        # tools/export_backbone.py WORK_DIR --out FILE, in-process (the script only calls this)
        load_tool('tools/export_backbone.py').main([str(root / 'work'), '--out', str(root / 'backbone.pth')])
        checkpoint = torch.load(root / 'work' / 'epoch_1.pth', map_location='cpu', weights_only=False)
    return SimpleNamespace(
        backbone=root / 'backbone.pth',
        checkpoint=checkpoint,
        checkpoint_file=root / 'work' / 'epoch_1.pth',
        trust_store=root / 'trusted.txt')


def test_export_is_a_plain_tensor_file_with_its_origin(pretrained, capsys, monkeypatch):
    export = torch.load(pretrained.backbone, weights_only=True)  # no pickled objects
    state, meta = export['state_dict'], export['meta']
    expected = {
        k[len('backbone.'):]: v
        for k, v in pretrained.checkpoint['state_dict'].items() if k.startswith('backbone.')
    }
    assert state.keys() == expected.keys() and len(state) > 100
    assert all(torch.equal(state[k], expected[k]) for k in state)
    assert all(isinstance(v, (str, int, float)) for v in meta.values())
    assert meta['epoch'] == 1 and meta['iter'] == 2 and meta['num_tensors'] == len(state)
    assert 0.0 <= meta['val/rotation/top1'] <= 1.0 and 'val/rotation/acc_90deg' in meta
    assert 'RotationRecognizer' in meta['source_config'] and "'depth': 18" in meta['backbone_config']
    monkeypatch.setenv('MMROT3D_TRUST_STORE', str(pretrained.trust_store))  # the run that wrote it
    load_tool('tools/export_backbone.py').main(
        [meta['source_checkpoint'], '--out',
         str(pretrained.backbone.with_name('again.pth'))])
    assert f'again.pth: {len(state)} tensors' in capsys.readouterr().out  # a checkpoint file works too


def test_finetuning_starts_from_the_export_and_tests_with_10_clips(pretrained, video_dir, tmp_path):
    work = tmp_path / 'finetune'
    data = data_options(video_dir, ('train', 'val', 'test'))
    # lr=0: the weights after an epoch are the weights training started from
    run = tool('train.py', FINETUNE, '--work-dir', work, '--cfg-options', *data, 'optim_wrapper.optimizer.lr=0',
               f'default_hooks.pretrained_backbone.checkpoint={pretrained.backbone}')
    assert run.returncode == 0, run.stderr[-3000:]
    exported = torch.load(pretrained.backbone, weights_only=True)['state_dict']
    assert f'loaded {len(exported)} tensors into backbone from {pretrained.backbone}' in run.stdout + run.stderr
    finetuned = torch.load(work / 'epoch_1.pth', map_location='cpu', weights_only=False)['state_dict']
    params = [k for k in exported if not k.endswith(('running_mean', 'running_var', 'num_batches_tracked'))]
    assert all(torch.equal(finetuned[f'backbone.{k}'], exported[k]) for k in params)

    dump = tmp_path / 'predictions.pkl'
    test = tool('test.py', FINETUNE, work / 'epoch_1.pth', '--work-dir', work, '--dump', dump, '--cfg-options', *data)
    assert test.returncode == 0, test.stderr[-3000:]
    for key in ('acc/top1', 'acc/top5', 'acc/mean1'):
        assert key in test.stdout + test.stderr
    with open(dump, 'rb') as f:
        assert len(pickle.load(f)) == 8  # one video-level prediction per video


def test_test_tool_dumps_the_rotation_predictions_as_mmaction2_does(pretrained, video_dir, tmp_path, monkeypatch):
    """tools/test.py --dump on the pretraining config: one entry per video with MMAction2's pred_score /
    pred_label / gt_label, here over the 4 in-model rotations of its clip; the reported top-1 is theirs."""
    monkeypatch.setenv('MMROT3D_TRUST_STORE', str(pretrained.trust_store))  # the run that wrote it
    dump = tmp_path / 'rotations.pkl'
    test = tool('test.py', PRETRAIN, pretrained.checkpoint_file, '--work-dir', tmp_path, '--dump', dump,
                '--cfg-options', *data_options(video_dir, ('test', )))
    assert test.returncode == 0, test.stderr[-3000:]
    with open(dump, 'rb') as f:
        entries = pickle.load(f)
    assert len(entries) == 8
    for entry in entries:
        assert entry['gt_label'].tolist() == [0, 1, 2, 3] and entry['rotation_angles'] == (0, 90, 180, 270)
        assert entry['pred_score'].shape == (4, 4)
        torch.testing.assert_close(entry['pred_score'].sum(dim=1), torch.ones(4))  # mean softmax of each copy
        assert torch.equal(entry['pred_label'], entry['pred_score'].argmax(dim=1))
    hits = torch.cat([entry['pred_label'] == entry['gt_label'] for entry in entries]).float()
    (top1, ) = re.findall(r'rotation/top1: ([0-9.]+)', test.stdout + test.stderr)
    assert float(top1) == pytest.approx(hits.mean().item(), abs=1e-4)


def test_the_test_protocol_feeds_10_clips_per_video(video_dir):
    cfg = Config.fromfile(FINETUNE).test_dataloader.dataset
    cfg.update(ann_file=str(video_dir / 'list.txt'), data_prefix=dict(video=str(video_dir)))
    sample = DATASETS.build(cfg)[0]
    assert tuple(sample['inputs'].shape) == (10, 3, 8, 32, 32)  # clips x C x T x H x W


def finetune_model(**backbone):
    cfg = Config.fromfile(FINETUNE).model
    cfg.backbone.update(backbone)
    return MODELS.build(cfg)


def save_export(path, state):
    torch.save({'state_dict': state, 'meta': {'epoch': 1}}, path)
    return path


@pytest.mark.parametrize('name, make, message', [
    ('wider', lambda: finetune_model(base_channels=16).backbone.state_dict(),
     r'shape mismatches \(conv1\.conv\.weight: '
     r'file \[16, 3, 3, 7, 7\] vs model \[8, 3, 3, 7, 7\]'),
    ('deeper', lambda: finetune_model(depth=34).backbone.state_dict(), r'unexpected tensors \(layer1\.2\.'),
    ('missing', lambda: {
        k: v
        for k, v in finetune_model().backbone.state_dict().items() if not k.startswith('layer4')
    }, r'missing tensors \(layer4\.0\.conv1\.conv\.weight'),
    ('renamed', lambda: {
        f'encoder.{k}': v
        for k, v in finetune_model().backbone.state_dict().items()
    }, r'missing tensors .* unexpected tensors \(encoder\.conv1'),
])
def test_an_export_that_does_not_fit_is_an_error_and_loads_nothing(tmp_path, name, make, message):
    path = save_export(tmp_path / f'{name}.pth', make())
    model = finetune_model()
    before = {k: v.clone() for k, v in model.backbone.state_dict().items()}
    with pytest.raises(
            BackboneCheckpointError, match=rf'{path} does not fit model\.backbone \(ResNet3d\): .*{message}'):
        load_backbone_weights(model.backbone, path)
    assert all(torch.equal(before[k], v) for k, v in model.backbone.state_dict().items())


def test_a_full_checkpoint_or_a_missing_file_is_refused_with_what_to_do(tmp_path):
    model = finetune_model()
    full = tmp_path / 'epoch_9.pth'
    torch.save({'state_dict': model.state_dict(), 'meta': {'note': SimpleNamespace(note=1)}}, full)
    with pytest.raises(BackboneCheckpointError, match='not a plain tensor state dict.*tools/export_backbone.py'):
        load_backbone_weights(model.backbone, full)
    with pytest.raises(BackboneCheckpointError, match='not found; make it from a pretraining run'):
        load_backbone_weights(model.backbone, tmp_path / 'nope.pth')


def test_backbone_keys_with_the_recognizer_prefix_load_too(tmp_path):
    source, target = finetune_model(), finetune_model()
    path = save_export(tmp_path / 'prefixed.pth', {f'backbone.{k}': v for k, v in source.backbone.state_dict().items()})
    count, _ = load_backbone_weights(target.backbone, path)
    assert count == len(source.backbone.state_dict())
    assert all(torch.equal(v, source.backbone.state_dict()[k]) for k, v in target.backbone.state_dict().items())


def fake_runner(model, has_loaded):
    return SimpleNamespace(model=model, _has_loaded=has_loaded, logger=MMLogger.get_current_instance())


def test_resume_wins_over_the_pretrained_backbone(tmp_path):
    model = finetune_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    hook = PretrainedBackboneHook(checkpoint=str(tmp_path / 'not_even_read.pth'))
    hook.before_train(fake_runner(model, has_loaded=True))  # after --resume / load_from: untouched
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    # a fresh run cannot skip it
    with pytest.raises(BackboneCheckpointError, match='not_even_read.pth: pretrained backbone file not found'):
        hook.before_train(fake_runner(model, has_loaded=False))


def test_train_tool_stops_before_step_1_with_one_clear_line(video_dir, tmp_path):
    deeper = save_export(tmp_path / 'r3d34.pth', finetune_model(depth=34).backbone.state_dict())
    run = tool('train.py', FINETUNE, '--work-dir', tmp_path / 'work', '--no-validate', '--cfg-options',
               *data_options(video_dir, ('train', )), f'default_hooks.pretrained_backbone.checkpoint={deeper}')
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(f'error: {deeper} does not fit model.backbone (ResNet3d): ') and 'unexpected' in last
    assert 'Epoch(train)' not in run.stdout + run.stderr and not (tmp_path / 'work' / 'epoch_1.pth').exists()


def test_trust_checkpoint_tool_lets_a_full_checkpoint_load(tmp_path, capsys):
    path = tmp_path / 'from_my_other_machine.pth'
    torch.save({'state_dict': {}, 'meta': {'when': SimpleNamespace(note=1)}}, path)
    with pytest.raises(UntrustedCheckpointError, match='python tools/trust_checkpoint.py'):
        load_checkpoint_file(path)
    load_tool('tools/trust_checkpoint.py').main([str(path)])
    assert f'trusted {path}' in capsys.readouterr().out
    assert load_checkpoint_file(path)['state_dict'] == {}
