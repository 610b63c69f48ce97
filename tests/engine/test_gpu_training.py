"""On a GPU: pretraining and fine-tuning steps with --amp through the standard tools (the fine-tuning from the
pretraining's exported backbone, tested with 10 clips), the R3D-18 recipe's channels_last_3d switched on by
the device, and the same values in channels_last_3d as in the default layout."""
import copy
import types
from pathlib import Path

import pytest
import torch
from conftest import load_tool, run_tool
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.optim import AmpOptimWrapper
from small_backbones import narrow_r3d

from mmrot3d.engine.hooks import ChannelsLast3dHook
from mmrot3d.models.backbone_io import read_backbone_file
from mmrot3d.utils.shipped_files import shipped_path

pytestmark = pytest.mark.gpu
CONFIGS = Path(__file__).resolve().parents[1] / 'data' / 'configs'


def data_options(video_dir, loaders):
    return [
        f'{loader}_dataloader.dataset.{key}={value}' for loader in loaders
        for key, value in (('ann_file', video_dir / 'list.txt'), ('data_prefix.video', video_dir))
    ]


def finite(path) -> bool:
    state = torch.load(path, map_location='cpu', weights_only=False)
    return all(torch.isfinite(v.float()).all() for v in state['state_dict'].values() if v.is_floating_point())


def start_from_new_weights(config, path):
    """The weights of a new model built from ``config``, saved to ``path`` for the run's ``load_from``."""
    model = MODELS.build(Config.fromfile(config).model)
    model.init_weights()
    torch.save(dict(state_dict=model.state_dict()), path)
    return [f'load_from={path}'], model.state_dict()


def moved(before, path) -> bool:
    """Did the run's steps change a weight? A step that AMP's loss scaler skips (inf/NaN in the fp16 gradients)
    leaves every weight as it was; BN running statistics, which move in any forward pass, are left out."""
    after = torch.load(path, map_location='cpu', weights_only=False)['state_dict']
    return any(not torch.equal(v, after[k]) for k, v in before.items()
               if v.is_floating_point() and not k.endswith(('running_mean', 'running_var')))


def test_amp_pretraining_then_amp_finetuning_from_its_backbone(video_dir, tmp_path):
    pretrain = tmp_path / 'pretrain'
    start, initial = start_from_new_weights(CONFIGS / 'rotnet3d_tiny.py', tmp_path / 'initial.pth')
    run = run_tool('tools/train.py', CONFIGS / 'rotnet3d_tiny.py', '--amp', '--work-dir', pretrain, '--cfg-options',
                   *data_options(video_dir, ('train', 'val')), 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
                   *start)
    assert run.returncode == 0, run.stderr[-3000:]
    assert f'Load checkpoint from {tmp_path / "initial.pth"}' in run.stdout + run.stderr
    checkpoint = torch.load(pretrain / 'epoch_1.pth', map_location='cpu', weights_only=False)
    assert 'loss_scaler' in checkpoint['optimizer'] and finite(pretrain / 'epoch_1.pth')  # AmpOptimWrapper's
    assert moved(initial, pretrain / 'epoch_1.pth')
    load_tool('tools/export_backbone.py').main([str(pretrain), '--out', str(tmp_path / 'backbone.pth')])

    finetune = tmp_path / 'finetune'
    data = data_options(video_dir, ('train', 'val', 'test'))
    run = run_tool('tools/train.py', CONFIGS / 'r3d18_finetune_tiny.py', '--amp', '--work-dir', finetune,
                   '--cfg-options', *data, f'default_hooks.pretrained_backbone.checkpoint={tmp_path / "backbone.pth"}')
    assert run.returncode == 0, run.stderr[-3000:]
    assert ' tensors into backbone from ' in run.stdout + run.stderr and finite(finetune / 'epoch_1.pth')
    exported, _ = read_backbone_file(tmp_path / 'backbone.pth')
    assert moved({f'backbone.{k}': v for k, v in exported.items()}, finetune / 'epoch_1.pth')
    test = run_tool('tools/test.py', CONFIGS / 'r3d18_finetune_tiny.py', finetune / 'epoch_1.pth', '--work-dir',
                    finetune, '--cfg-options', *data)
    assert test.returncode == 0, test.stderr[-3000:]
    assert 'acc/top1' in test.stdout + test.stderr


def test_the_r3d18_recipe_trains_in_channels_last_3d_on_the_gpu(video_dir, tmp_path):
    """configs/rotnet3d_kinetics.py (full-width R3D-18) --amp, two steps on tiny clips."""
    config = shipped_path('configs/rotnet3d_kinetics.py')
    start, initial = start_from_new_weights(config, tmp_path / 'initial.pth')
    run = run_tool('tools/train.py', config, '--amp', '--work-dir', tmp_path, '--no-validate', '--cfg-options',
                   *data_options(video_dir,
                                 ('train', )), 'train_dataloader.batch_size=4', 'train_dataloader.num_workers=0',
                   'train_dataloader.persistent_workers=False', 'train_dataloader.dataset.pipeline.1.clip_len=4',
                   'train_dataloader.dataset.pipeline.3.bars_file=None', 'train_cfg.max_epochs=1', *start)
    assert run.returncode == 0, run.stderr[-3000:]
    assert 'the backbone runs in channels_last_3d (on cuda)' in run.stdout + run.stderr
    assert f'Load checkpoint from {tmp_path / "initial.pth"}' in run.stdout + run.stderr
    assert finite(tmp_path / 'epoch_1.pth') and moved(initial, tmp_path / 'epoch_1.pth')


def rotation_model():
    model = MODELS.build(
        dict(
            type='RotationRecognizer',
            backbone=narrow_r3d(),
            rotate_in_model=True,
            cls_head=dict(type='RotationHead', in_channels=64, hidden_channels=16),
            data_preprocessor=dict(
                type='ActionDataPreprocessor', format_shape='NCTHW', mean=[114.75] * 3, std=[57.375] * 3)))
    model.init_weights()
    return model.cuda()


def batch(num=2):
    g = torch.Generator().manual_seed(0)
    return dict(
        inputs=[torch.randint(0, 256, (1, 3, 8, 32, 32), generator=g, dtype=torch.uint8) for _ in range(num)],
        data_samples=[ActionDataSample() for _ in range(num)])


def test_channels_last_3d_on_the_gpu_same_values_and_an_amp_step(full_fp32):
    model = rotation_model()
    reference = copy.deepcopy(model)
    ChannelsLast3dHook(devices=('cuda', )).before_run(types.SimpleNamespace(model=model))
    assert model.backbone.conv1.conv.weight.is_contiguous(memory_format=torch.channels_last_3d)
    model.eval()
    reference.eval()
    with torch.no_grad():
        out, ref = model.test_step(batch()), reference.test_step(batch())
    for a, b in zip(out, ref):
        torch.testing.assert_close(a.pred_score, b.pred_score, rtol=1e-4, atol=1e-5)
    model.train()
    wrapper = AmpOptimWrapper(optimizer=torch.optim.SGD(model.parameters(), lr=0.01), dtype='float16')
    before = [p.detach().clone() for p in model.parameters()]
    for _ in range(5):  # the loss scaler skips a step whose fp16 gradients overflow while it settles its scale
        losses = model.train_step(batch(), wrapper)
        assert torch.isfinite(losses['loss'])
        if any(not torch.equal(a, b) for a, b in zip(before, model.parameters())):
            break
    else:
        raise AssertionError('5 AMP steps left every weight unchanged: the loss scaler skipped them all')
