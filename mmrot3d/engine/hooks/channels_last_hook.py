"""Run 3D convolutions in the ``channels_last_3d`` memory format (N, T, H, W, C in memory)."""
from typing import Optional, Sequence

import torch
from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper


def to_channels_last_3d(module: torch.nn.Module) -> None:
    """Store ``module``'s 5-D weights as ``channels_last_3d`` and convert its 5-D inputs on entry.

    ``Module.to(memory_format=...)`` cannot be used: it converts every tensor, and the 1-D BN
    parameters have no such format. Convolutions keep the format of their input, so converting the
    backbone's input once is enough for the whole network. Values are unchanged.
    """
    for p in module.parameters():
        if p.dim() == 5:
            p.data = p.data.contiguous(memory_format=torch.channels_last_3d)

    def convert_inputs(_, inputs):
        return tuple(
            x.contiguous(memory_format=torch.channels_last_3d) if torch.is_tensor(x) and x.dim() == 5 else x
            for x in inputs)

    module.register_forward_pre_hook(convert_inputs)


@HOOKS.register_module()
class ChannelsLast3dHook(Hook):
    """Switch the model's backbone to ``channels_last_3d`` before training or testing.

    Whether it wins depends on the device and the network: for R3D-18's rotation pretraining step on
    an H200, 1.44x with AMP fp16 and 1.28x in fp32 (docs/gpu/gpu.md); on CPU 1.19x for the demo's
    narrow R3D-18 but 0.91x for the full-width one (docs/performance.md). Measure before adopting it
    elsewhere. Add it with ``custom_hooks = [..., dict(type='ChannelsLast3dHook')]``.

    Args:
        devices: switch only when the model's parameters are on one of these device types (e.g.
            ``('cuda', )``: one config that runs on GPUs, where it wins, and on CPUs, where it loses);
            None: always.
    """

    priority = 'VERY_HIGH'

    def __init__(self, devices: Optional[Sequence[str]] = None) -> None:
        self.devices = None if devices is None else tuple(devices)

    def before_run(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        if getattr(model, '_mmrot3d_channels_last', False):
            return
        device = next(model.backbone.parameters()).device.type
        if self.devices is not None and device not in self.devices:
            return
        # Under DDP (built before any hook runs) the gradient buckets keep the old layout: DDP copies the
        # gradients into them and warns that the strides differ ("not an error, but may impair performance").
        to_channels_last_3d(model.backbone)
        model._mmrot3d_channels_last = True
        logger = getattr(runner, 'logger', None)
        if logger is not None:
            logger.info(f'ChannelsLast3dHook: the backbone runs in channels_last_3d (on {device})')
