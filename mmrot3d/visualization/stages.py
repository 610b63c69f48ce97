"""Reading one backbone stage: which module, its output during a forward pass, as per-clip feature maps.

Inputs follow ``ActionDataPreprocessor``: ``(N, V, C, T, H, W)`` for 3D backbones (views flattened into
the batch) and ``(N, F, C, H, W)`` for 2D backbones (``F`` frames, each its own image).
"""
import contextlib
from typing import Dict, Iterator, Tuple

import torch
import torch.nn as nn

# The intermediate stage maps are read from when none is named: ResNet-style 3D backbones (R3D, R(2+1)D,
# X3D, I3D), SlowFast's slow pathway, C3D.
DEFAULT_STAGES = ('layer3', 'slow_path.layer3', 'conv4b')


def backbone_of(model: nn.Module) -> nn.Module:
    """A recognizer's backbone, or ``model`` itself (some backbones have a non-module ``backbone`` attribute)."""
    backbone = getattr(model, 'backbone', None)
    return backbone if isinstance(backbone, nn.Module) else model


def _has(module: nn.Module, name: str) -> bool:
    try:
        module.get_submodule(name)
        return True
    except AttributeError:
        return False


def default_stage(model: nn.Module) -> str:
    """The first of :data:`DEFAULT_STAGES` the backbone has."""
    backbone = backbone_of(model)
    for name in DEFAULT_STAGES:
        if _has(backbone, name):
            return name
    raise ValueError(f'{type(backbone).__name__} has none of the default stages {DEFAULT_STAGES}; name one '
                     f'with --stage (its modules: {", ".join(n for n, _ in backbone.named_children())})')


def resolve_stage(model: nn.Module, stage: str = None) -> Tuple[str, nn.Module]:
    """``(name, module)`` of ``stage``, a module path relative to the backbone (``'layer3'``) or to the
    model (``'backbone.layer3'``); ``None``: :func:`default_stage`."""
    backbone = backbone_of(model)
    stage = stage or default_stage(model)
    for root, name in ((backbone, stage), (model, stage)):
        if _has(root, name):
            return name, root.get_submodule(name)
    raise ValueError(f'stage {stage!r} is not a module of {type(backbone).__name__}; its stages: '
                     f'{", ".join(n for n, _ in backbone.named_children())} (nested ones with dots, e.g. '
                     "'slow_path.layer3')")


def backbone_input(inputs: torch.Tensor) -> torch.Tensor:
    """``(N, V, C, T, H, W)`` -> ``(N·V, C, T, H, W)``; ``(N, F, C, H, W)`` -> ``(N·F, C, H, W)``."""
    if inputs.dim() not in (5, 6):
        raise ValueError(f'inputs of shape {tuple(inputs.shape)}: expected (N, V, C, T, H, W) for 3D or '
                         '(N, F, C, H, W) for 2D backbones, as ActionDataPreprocessor stacks them')
    return inputs.reshape((-1, ) + inputs.shape[2:])


def frames_shape(inputs: torch.Tensor) -> Tuple[int, int, int]:
    """``(T, H, W)`` of one clip: the frames a map is drawn over."""
    return tuple(inputs.shape[-3:]) if inputs.dim() == 6 else (inputs.shape[1], ) + tuple(inputs.shape[-2:])


def clip_features(output, stage: str, inputs: torch.Tensor) -> torch.Tensor:
    """A stage output as ``(clips, C, T', h, w)``: 3D outputs as they are, 2D per-frame outputs
    ``(N·F, C, h, w)`` regrouped into their clips with the frames as the time axis."""
    shape = tuple(output.shape) if isinstance(output, torch.Tensor) else type(output).__name__
    if isinstance(output, torch.Tensor) and output.dim() == 5:
        return output
    if isinstance(output, torch.Tensor) and output.dim() == 4 and inputs.dim() == 5:
        n = inputs.shape[0]
        return output.reshape((n, -1) + output.shape[1:]).transpose(1, 2)
    raise ValueError(f'stage {stage!r} outputs {shape}, not a feature map (N, C, T, H, W) or per-frame maps '
                     '(N·T, C, H, W): activation maps and Grad-CAM need a convolutional stage (transformer '
                     'backbones such as TimeSformer give tokens; SlowFast needs a pathway stage, e.g. '
                     "'slow_path.layer3')")


class _StageReached(Exception):
    """Raised by the hook to stop a forward pass that is only needed up to the stage."""


@contextlib.contextmanager
def recording(module: nn.Module, stop: bool = False) -> Iterator[Dict]:
    """While open, ``store['output']`` is ``module``'s latest output; with ``stop`` the forward pass
    ends there (wrap the call in :func:`forward_until`)."""
    store: Dict = {}

    def hook(mod, args, output):
        store['output'] = output
        if stop:
            raise _StageReached

    handle = module.register_forward_hook(hook)
    try:
        yield store
    finally:
        handle.remove()


def forward_until(fn, *args) -> None:
    """Call ``fn(*args)``, ending quietly where a stopping :func:`recording` hook was reached."""
    try:
        fn(*args)
    except _StageReached:
        pass
