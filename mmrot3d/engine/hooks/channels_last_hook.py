"""Run 3D convolutions in the ``channels_last_3d`` memory format (N, T, H, W, C in memory)."""
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

    oneDNN's 3D convolutions are faster in this layout on CPU for narrow networks: 1.19x for the
    demo's R3D-18 (16 base channels) training step, 1.35x with 8, but 0.94x for the full-width R3D-18
    (docs/performance.md, ``python -m benchmarks.run --only cpu_levers``) — measure before adopting
    it elsewhere. Add it with ``custom_hooks = [..., dict(type='ChannelsLast3dHook')]``.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        if getattr(model, '_mmrot3d_channels_last', False):
            return
        to_channels_last_3d(model.backbone)
        model._mmrot3d_channels_last = True
