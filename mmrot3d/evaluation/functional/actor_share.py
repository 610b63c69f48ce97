from typing import Dict

import torch


def actor_share(maps: torch.Tensor, masks: torch.Tensor) -> Dict[str, float]:
    """How much of a map's mass lies on the actor, against how much of the frame the actor covers.

    Per frame: ``share = sum(map * mask) / sum(map)`` and ``area = mean(mask)``; both are averaged over
    the frames that show the actor and have some mass (the others are left out and counted).
    A map equal to the actor mask gives ``share`` 1.0; a uniform map gives ``share == area``; the
    ``lift`` ``share / area`` says how many times more mass the actor gets than its size would give it
    (1.0: the map ignores the actor).

    Args:
        maps: ``(..., H, W)`` non-negative maps (e.g. activation maps upsampled to the frames).
        masks: ``(..., H, W)`` bool actor masks, the same shape.

    Returns:
        ``{'actor_share', 'area_share', 'lift', 'frames', 'frames_left_out'}``.
    """
    if maps.shape != masks.shape or maps.dim() < 2:
        raise ValueError(f'actor_share: maps {tuple(maps.shape)} and masks {tuple(masks.shape)} must have one '
                         'shape (..., H, W)')
    if (maps < 0).any():
        raise ValueError('actor_share: maps must be non-negative (clamp or min-max normalise them first)')
    maps = maps.reshape(-1, maps.shape[-2] * maps.shape[-1]).double()
    masks = masks.reshape(maps.shape).double()
    mass = maps.sum(dim=1)
    area = masks.mean(dim=1)
    usable = (mass > 0) & (area > 0)
    if not usable.any():
        raise ValueError('actor_share: no frame both shows the actor and has map mass')
    share = (maps * masks).sum(dim=1)[usable] / mass[usable]
    mean_share, mean_area = share.mean().item(), area[usable].mean().item()
    return dict(
        actor_share=mean_share,
        area_share=mean_area,
        lift=mean_share / mean_area,
        frames=int(usable.sum()),
        frames_left_out=int((~usable).sum()))
