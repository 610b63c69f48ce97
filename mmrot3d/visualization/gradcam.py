"""Grad-CAM (Selvaraju et al.) of one logit, for our RotationRecognizer and MMAction2's recognizers."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn

from .activation_maps import upsample_maps
from .stages import clip_features, frames_shape, recording, resolve_stage

TARGETS = ('rotation', 'class')


@dataclass
class GradCam:
    """maps ``(clips, T, H, W)`` >= 0 at the frame size; logits ``(clips, K)``; index ``(clips,)`` the
    explained logit; gradients ``(clips, C, T', h, w)`` of that logit at the stage."""
    maps: torch.Tensor
    logits: torch.Tensor
    index: torch.Tensor
    gradients: torch.Tensor


def _logits(model: nn.Module, inputs: torch.Tensor, target: str) -> torch.Tensor:
    """``(clips, K)``: rotation logits of a RotationRecognizer or class logits of a Recognizer3D/2D."""
    is_rotation = hasattr(model, 'rotated_batch')
    if target == 'rotation':
        if not is_rotation:
            raise ValueError(f'target "rotation" needs a RotationRecognizer (a pretraining config); '
                             f'{type(model).__name__} classifies actions: use target "class"')
        logits, _ = model.extract_feat(inputs, stage='head', num_segs=model.num_segments(inputs, 1))
        return logits
    if is_rotation or not hasattr(model, 'cls_head'):
        raise ValueError(f'target "class" needs an action recognizer (Recognizer3D/Recognizer2D with a cls_head); '
                         f'{type(model).__name__} has ' +
                         ('rotation logits: use target "rotation"' if is_rotation else 'no head'))
    logits, _ = model.extract_feat(inputs, stage='head')
    return logits


def gradcam_maps(model: nn.Module,
                 inputs: torch.Tensor,
                 stage: Optional[str] = None,
                 target: str = 'rotation',
                 index: Optional[int] = None) -> GradCam:
    """Grad-CAM of one logit per clip at a backbone stage.

    Channel weights are the gradient of the logit averaged over the stage's positions (over ``T'``,
    ``h``, ``w`` for 3D stages; per frame for 2D backbones); the map is ``ReLU(sum_c weight_c * A_c)``.

    Args:
        model: a RotationRecognizer (``target='rotation'``) or a Recognizer3D/2D (``target='class'``),
            in eval mode (batch-norm statistics fixed).
        inputs: ``(N, V, C, T, H, W)`` or ``(N, F, C, H, W)`` as the data preprocessor gives.
        index: the logit to explain; default: the label of 0 degrees (the clip as given, i.e. upright) for
            ``'rotation'``, the predicted class for ``'class'``.
    """
    if target not in TARGETS:
        raise ValueError(f'target={target!r}; use one of {TARGETS}')
    name, module = resolve_stage(model, stage)
    with torch.enable_grad(), recording(module) as store:
        logits = _logits(model, inputs, target)
        num_classes = logits.shape[1]
        if index is None:
            chosen = (
                torch.full((len(logits), ), model.upright_label(), dtype=torch.long)
                if target == 'rotation' else logits.argmax(dim=1))
        elif not 0 <= index < num_classes:
            raise ValueError(f'index={index} is not a logit of this model (0..{num_classes - 1})')
        else:
            chosen = torch.full((len(logits), ), index, dtype=torch.long)
        score = logits.gather(1, chosen[:, None].to(logits.device)).sum()
        output = store['output']
        feats = clip_features(output, name, inputs)
        grads = clip_features(torch.autograd.grad(score, output)[0], name, inputs)
    per_frame = inputs.dim() == 5  # 2D backbone: every frame is its own image
    weights = grads.mean(dim=(3, 4) if per_frame else (2, 3, 4), keepdim=True)
    cam = torch.relu((weights * feats).sum(dim=1)).detach()
    return GradCam(
        maps=upsample_maps(cam, frames_shape(inputs)), logits=logits.detach(), index=chosen, gradients=grads.detach())
