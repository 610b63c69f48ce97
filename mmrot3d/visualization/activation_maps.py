"""The 3DRotNet authors' "attention" maps: a stage's activations summed over channels per pixel, min-max
normalised per frame (their ``visualize_attention.py``; it is not Grad-CAM)."""
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .stages import backbone_input, backbone_of, clip_features, forward_until, frames_shape, recording, resolve_stage

REDUCTIONS = ('sum', 'max')


def upsample_maps(maps: torch.Tensor, size: Tuple[int, int, int]) -> torch.Tensor:
    """``(clips, T', h, w)`` -> ``(clips, T, H, W)`` by trilinear interpolation (each stage's time and space
    strides undone, so every input frame gets a map)."""
    return F.interpolate(maps[:, None].float(), size=size, mode='trilinear', align_corners=False)[:, 0]


def normalize_per_frame(maps: torch.Tensor) -> torch.Tensor:
    """Min-max normalise every frame of ``(..., H, W)`` maps to [0, 1]; a constant frame becomes all zeros."""
    flat = maps.reshape(-1, maps.shape[-2] * maps.shape[-1]).float()
    low, high = flat.min(dim=1, keepdim=True).values, flat.max(dim=1, keepdim=True).values
    span = high - low
    out = torch.where(span > 0, (flat - low) / span.clamp_min(1e-12), torch.zeros_like(flat))
    return out.reshape(maps.shape)


@torch.no_grad()
def activation_maps(model: nn.Module,
                    inputs: torch.Tensor,
                    stage: Optional[str] = None,
                    reduce: str = 'sum') -> torch.Tensor:
    """Per-frame activation maps of one backbone stage, at the input's frame size, not normalised.

    Args:
        model: a recognizer (its ``backbone`` is used) or a backbone.
        inputs: ``(N, V, C, T, H, W)`` (3D) or ``(N, F, C, H, W)`` (2D), as the data preprocessor gives.
        stage: module path in the backbone (default: :func:`~.stages.default_stage`).
        reduce: ``'sum'`` over channels (the authors' maps) or per-pixel ``'max'`` over channels.

    Returns:
        ``(clips, T, H, W)`` with ``clips = N·V`` (3D) or ``N`` (2D).
    """
    if reduce not in REDUCTIONS:
        raise ValueError(f'reduce={reduce!r}; use one of {REDUCTIONS}')
    name, module = resolve_stage(model, stage)
    with recording(module, stop=True) as store:
        forward_until(backbone_of(model), backbone_input(inputs))
    feats = clip_features(store['output'], name, inputs)
    maps = feats.sum(dim=1) if reduce == 'sum' else feats.amax(dim=1)
    return upsample_maps(maps, frames_shape(inputs))
