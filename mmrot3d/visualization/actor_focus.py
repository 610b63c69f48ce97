"""Does the network look at the actor? The quantitative form of the 3DRotNet paper's attention maps.

For synthetic clips, whose actor masks the generator knows, every backbone stage's activation map
(channel sum, upsampled to the frames) is compared with the actor: the share of the map's mass on the
actor's pixels against the actor's share of the frame (:func:`~mmrot3d.evaluation.functional.actor_share`).
Two readings: ``raw`` (the activation mass itself) and ``normalized`` (min-max per frame, what the
pictures show; it discounts the activation every pixel gets).
"""
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn

from ..evaluation.functional.actor_share import actor_share
from .activation_maps import activation_maps, normalize_per_frame
from .clips import load_clip

STAGES = ('layer1', 'layer2', 'layer3', 'layer4')


def load_clips_with_masks(videos: Sequence[str], pipeline: Sequence[Dict], data_preprocessor: nn.Module,
                          masks_of: Callable[[str], np.ndarray]) -> Tuple[torch.Tensor, torch.Tensor]:
    """One clip per video through ``pipeline``, with its actor masks carried through the same sampling,
    resizing and cropping.

    Args:
        masks_of: ``video -> (total_frames, H0, W0)`` bool (e.g. a synthetic dataset's ``ActorMasks``).

    Returns:
        inputs ``(N, V, C, T, H, W)`` (or ``(N, F, C, H, W)``) and masks ``(N, T, H, W)`` bool.
    """
    inputs, masks = [], []
    for video in videos:
        clip = load_clip(video, pipeline, data_preprocessor, masks_of(video))
        inputs.append(clip.inputs)
        masks.append(torch.from_numpy(clip.masks))
    return torch.cat(inputs), torch.stack(masks)


@torch.no_grad()
def measure_actor_share(backbone: nn.Module,
                        inputs: torch.Tensor,
                        masks: torch.Tensor,
                        stages: Sequence[str] = STAGES,
                        reduce: str = 'sum',
                        batch_size: int = 8,
                        gather: Optional[Callable[[torch.Tensor],
                                                  torch.Tensor]] = None) -> Dict[str, Dict[str, Dict[str, float]]]:
    """Actor share vs area share of each stage's activation maps over the clips.

    Args:
        backbone: any backbone (random init, rotation-pretrained or fine-tuned), in eval mode.
        inputs: ``(N, 1, C, T, H, W)`` (3D) or ``(N, F, C, H, W)`` (2D) preprocessed clips.
        masks: ``(N, T, H, W)`` bool actor masks of the frames ``inputs`` show.
        stages: module paths in the backbone.
        reduce: channel ``'sum'`` (the authors' maps) or ``'max'``.
        gather: with the clips split over ranks, joins every rank's maps ``(n, T, H, W)`` into those of
            all clips in order (``masks`` are then all clips' masks); None: ``inputs`` are all clips.

    Returns:
        ``{stage: {'raw': {...}, 'normalized': {...}}}``, each inner dict as ``actor_share`` returns it
        (``actor_share``, ``area_share``, ``lift``, ``frames``, ``frames_left_out``).
    """
    backbone.eval()
    results = {}
    for stage in stages:
        maps = torch.cat([
            activation_maps(backbone, inputs[i:i + batch_size], stage, reduce)
            for i in range(0, len(inputs), batch_size)
        ])
        if gather is not None:
            maps = gather(maps)
        if maps.shape != masks.shape:
            raise ValueError(f'maps {tuple(maps.shape)} and masks {tuple(masks.shape)} differ: one clip (one view) '
                             'per video is needed')
        # Channel sums after a ReLU are >= 0; other stages' negative values carry no "mass".
        results[stage] = dict(
            raw=actor_share(maps.clamp_min(0), masks), normalized=actor_share(normalize_per_frame(maps), masks))
    return results


def compare_backbones(config,
                      checkpoints: Dict[str, Optional[str]],
                      videos: Sequence[str],
                      masks_of: Callable[[str], np.ndarray],
                      stages: Sequence[str] = STAGES,
                      reduce: str = 'sum',
                      seed: int = 0,
                      gather: Optional[Callable[[torch.Tensor], torch.Tensor]] = None,
                      progress: Optional[Callable[[int, int], None]] = None) -> Dict[str, Dict]:
    """:func:`measure_actor_share` for several backbones of ``config``'s model on the same clips.

    Args:
        checkpoints: ``{name: backbone export or checkpoint}``; ``None`` = the config's random init.
        gather: ``videos`` are this rank's share; joins every rank's per-clip tensors in video order
            (see :func:`measure_actor_share`).
        progress: ``progress(done, total)`` after each backbone.

    Returns:
        ``{name: {stage: ...}}`` plus ``'clips'`` (how many) under each name.
    """
    from ..apis.inference import init_model, load_config
    from .clips import single_clip_pipeline

    cfg = load_config(config)
    pipeline = single_clip_pipeline(cfg)
    results, clips = {}, None
    for i, (name, checkpoint) in enumerate(checkpoints.items()):
        model, _ = init_model(cfg, checkpoint, seed=seed)
        if clips is None:
            clips = load_clips_with_masks(videos, pipeline, model.data_preprocessor, masks_of)
            masks = clips[1] if gather is None else gather(clips[1])
        results[name] = dict(
            measure_actor_share(model.backbone, clips[0], masks, stages=stages, reduce=reduce, gather=gather),
            clips=len(masks))
        if progress:
            progress(i + 1, len(checkpoints))
    return results


def format_table(results: Dict[str, Dict], reading: str = 'normalized') -> List[str]:
    """Lines of a table: one row per backbone, per stage ``share / area (lift)``."""
    names = list(results)
    stages = [k for k in results[names[0]] if k != 'clips']
    lines = [f'{"backbone":<22}' + ''.join(f'{s:>24}' for s in stages)]
    for name in names:
        cells = [results[name][s][reading] for s in stages]
        lines.append(f'{name:<22}' + ''.join(f'{c["actor_share"]:>10.3f} / {c["area_share"]:.3f} x{c["lift"]:<4.2f}'
                                             for c in cells))
    return lines
