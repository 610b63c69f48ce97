"""One clip of a video through a config's test pipeline: the model input, the frames it shows, and
optionally the actor masks carried through the same frame sampling, resizing and cropping."""
import copy
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate

from mmrot3d.datasets.transforms.residual_frames import ResidualFrames

# Transforms that draw random numbers: a mask could not follow the frames through them.
_RANDOM = ('RandomCrop', 'RandomResizedCrop', 'MultiScaleCrop', 'Flip', 'ColorJitter', 'TenCrop', 'ThreeCrop')


@dataclass
class Clip:
    """inputs ``(1, V, C, T, H, W)`` or ``(1, F, C, H, W)`` (preprocessed); frames ``(T, H, W, 3)`` uint8
    RGB as the model sees them; masks ``(T, H, W)`` bool or None; frame_inds ``(T,)`` in the video."""
    inputs: torch.Tensor
    frames: np.ndarray
    masks: Optional[np.ndarray]
    frame_inds: np.ndarray


def single_clip_pipeline(cfg: Config) -> List[Dict]:
    """The config's ``val_pipeline`` (else ``test_pipeline``) sampling one clip (3D) or one set of segments
    (2D), deterministically."""
    pipeline = cfg.get('val_pipeline') or cfg.get('test_pipeline')
    if pipeline is None:
        raise ValueError(f'{cfg.filename}: defines no val_pipeline or test_pipeline to read clips with')
    pipeline = copy.deepcopy([dict(step) for step in pipeline])
    # 3D models read one clip of clip_len frames; 2D models (TSN, TSM) read num_clips segments as one clip.
    is_3d = any(step['type'] == 'FormatShape' and step.get('input_format') == 'NCTHW' for step in pipeline)
    for step in pipeline:
        if step['type'] in ('SampleFrames', 'UniformSample'):
            step.update(test_mode=True)
            step.pop('twice_sample', None)
            if is_3d and step['type'] == 'SampleFrames':
                step['num_clips'] = 1
        if step['type'] in _RANDOM:
            raise ValueError(f'{cfg.filename}: the clip pipeline has {step["type"]}, a random transform; use a '
                             'deterministic one (e.g. CenterCrop) so maps and masks line up with the frames')
    return pipeline


def _is_format(transform) -> bool:
    return type(transform).__name__ in ('FormatShape', 'PackActionInputs')


def _masks_through(transform, results: Dict) -> Dict:
    """The mask images through ``transform``, as the frames go. A residual frame shows two frames (``x[t + step] -
    x[t]``): its mask is where either of them has the actor, not the difference of their masks."""
    if not isinstance(transform, ResidualFrames):
        return transform(results)
    masks, clip_len, step = results['imgs'], results['clip_len'], transform.step
    results['imgs'] = [
        np.maximum(masks[start + t], masks[start + t + step]) for start in range(0, len(masks), clip_len)
        for t in range(clip_len - step)
    ]
    results['clip_len'] = clip_len - step
    return results


def load_clip(video: str,
              pipeline: Sequence[Dict],
              data_preprocessor: torch.nn.Module,
              masks: Optional[np.ndarray] = None) -> Clip:
    """Decode one clip of ``video`` with ``pipeline`` and preprocess it for the model.

    Args:
        masks: ``(total_frames, H0, W0)`` bool, one per frame of the video; they go through the same
            frame indices and the geometric transforms after decoding (resize, crop).
    """
    transforms = Compose(pipeline).transforms
    results = dict(filename=video, label=-1, start_index=0, modality='RGB')
    mask_results, frames, inds = None, None, None
    for transform in transforms:
        if _is_format(transform) and frames is None:
            frames = np.stack(results['imgs'])
        if mask_results is not None and not _is_format(transform):
            mask_results = _masks_through(transform, mask_results)
        results = transform(results)
        if inds is None and type(transform).__name__.endswith('Decode'):
            inds = np.asarray(results['frame_inds']).reshape(-1)
            if masks is not None:
                if inds.max() >= len(masks):
                    raise ValueError(f'{video}: frame {inds.max()} sampled but only {len(masks)} masks given')
                mask_results = dict(
                    results, imgs=[np.repeat(masks[i, :, :, None].astype(np.uint8) * 255, 3, axis=2) for i in inds])
    if frames is None or inds is None:
        raise ValueError('the clip pipeline needs a *Decode step and FormatShape (as MMAction2 test pipelines have)')
    batch = data_preprocessor(pseudo_collate([results]), False)
    clip_masks = None if mask_results is None else np.stack(mask_results['imgs'])[..., 0] >= 128
    return Clip(inputs=batch['inputs'], frames=frames, masks=clip_masks, frame_inds=inds)
