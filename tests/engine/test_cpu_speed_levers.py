"""CPU speed levers: ChannelsLast3dHook changes the memory layout and not the outputs; ``--amp``
without a GPU is refused in one line."""
import copy
import types

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from small_backbones import narrow_r3d

from mmrot3d.engine.hooks import ChannelsLast3dHook

PREPROCESSOR = dict(type='ActionDataPreprocessor', format_shape='NCTHW', mean=[114.75] * 3, std=[57.375] * 3)


def rotation_model():
    model = MODELS.build(
        dict(
            type='RotationRecognizer',
            backbone=narrow_r3d(),
            rotate_in_model=True,
            cls_head=dict(type='RotationHead', in_channels=64, hidden_channels=16),
            data_preprocessor=PREPROCESSOR))
    model.init_weights()
    return model


def batch(num=2):
    g = torch.Generator().manual_seed(0)
    return dict(
        inputs=[torch.randint(0, 256, (1, 3, 8, 32, 32), generator=g, dtype=torch.uint8) for _ in range(num)],
        data_samples=[ActionDataSample() for _ in range(num)])


def test_amp_on_a_machine_without_gpu_is_one_clear_error(tmp_path):
    from mmengine.config import Config
    cfg = Config(dict(optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)), work_dir=str(tmp_path)))
    from mmrot3d_harness.commands import train
    args = train.parse_args(['some_config.py', '--amp'])
    if torch.cuda.is_available():
        train.merge_args(cfg, args)
        assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    else:
        with pytest.raises(SystemExit, match=r'^error: --amp needs a CUDA GPU'):
            train.merge_args(cfg, args)


def test_channels_last_hook_changes_the_layout_not_the_outputs():
    model = rotation_model().eval()
    reference = copy.deepcopy(model)
    convs = [p for p in model.backbone.parameters() if p.dim() == 5]
    runner = types.SimpleNamespace(model=model)
    hook = ChannelsLast3dHook()
    hook.before_run(runner)
    hook.before_run(runner)  # a second run (val after train) must not stack input hooks
    assert all(p.is_contiguous(memory_format=torch.channels_last_3d) for p in convs)
    assert not convs[0].is_contiguous()  # 3x7x7 stem: the layouts differ (1x1x1 kernels are both)
    assert len(model.backbone._forward_pre_hooks) == 1
    seen = []
    model.backbone.conv1.conv.register_forward_hook(
        lambda m, i, o: seen.append(i[0].is_contiguous(memory_format=torch.channels_last_3d)))
    data = batch()
    with torch.no_grad():
        out = model.test_step(copy.deepcopy(data))
        ref = reference.test_step(copy.deepcopy(data))
    assert seen == [True]
    for a, b in zip(out, ref):
        torch.testing.assert_close(a.pred_score, b.pred_score, rtol=1e-4, atol=1e-5)


def test_channels_last_hook_for_gpus_leaves_a_cpu_model_alone():
    # configs/rotnet3d's R3D-18 recipe: channels_last_3d on GPUs, where it wins, not on CPUs (0.91x)
    model = rotation_model()
    ChannelsLast3dHook(devices=('cuda', )).before_run(types.SimpleNamespace(model=model))
    assert not model.backbone.conv1.conv.weight.is_contiguous(memory_format=torch.channels_last_3d)
    assert not model.backbone._forward_pre_hooks
