"""Maps of one video's clip, drawn: what ``tools/visualize_activations.py`` does per video."""
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Sequence

import torch.nn as nn

from .activation_maps import activation_maps, normalize_per_frame
from .clips import Clip, load_clip
from .drawing import contact_sheet, overlay, side_by_side, write_gif, write_png
from .gradcam import gradcam_maps
from .stages import resolve_stage

METHODS = ('activation', 'gradcam')


@dataclass
class VideoMaps:
    """What was written for one video: the contact sheet, the animation, and the frames each shows."""
    sheet: Path
    animation: Path
    frames: int
    caption: str


def clip_maps(model: nn.Module,
              clip: Clip,
              method: str = 'activation',
              stage: Optional[str] = None,
              reduce: str = 'sum',
              target: str = 'rotation',
              index: Optional[int] = None):
    """``(T, H, W)`` maps in [0, 1] (min-max per frame) for the clip's frames, and a caption saying what they are."""
    name, _ = resolve_stage(model, stage)
    if method == 'activation':
        maps = activation_maps(model, clip.inputs, name, reduce)
        caption = f'{name}: activations, channel {reduce}'
    elif method == 'gradcam':
        cam = gradcam_maps(model, clip.inputs, name, target, index)
        maps = cam.maps
        probs = cam.logits.softmax(dim=1)[0]
        chosen = int(cam.index[0])
        what = f'rotation {model.angles[chosen]} deg' if target == 'rotation' else f'class {chosen}'
        caption = f'{name}: Grad-CAM of {what} (p={float(probs[chosen]):.2f})'
    else:
        raise ValueError(f'method={method!r}; use one of {METHODS}')
    if len(maps) != 1:
        raise ValueError(f'expected one clip, the pipeline gave {len(maps)} views; sample one clip of one crop')
    return normalize_per_frame(maps[0]).numpy(), caption


def visualize_video(model: nn.Module,
                    video: str,
                    pipeline: Sequence[Dict],
                    out_dir: str,
                    method: str = 'activation',
                    stage: Optional[str] = None,
                    reduce: str = 'sum',
                    target: str = 'rotation',
                    index: Optional[int] = None,
                    columns: int = 8,
                    fps: float = 8.0) -> VideoMaps:
    """Write ``<stem>.png`` (frames above their map overlays, ``columns`` frames spaced over the clip) and
    ``<stem>.gif`` (every frame of the clip beside its overlay) into ``out_dir``."""
    clip = load_clip(video, pipeline, model.data_preprocessor)
    maps, caption = clip_maps(model, clip, method, stage, reduce, target, index)
    if len(maps) != len(clip.frames):
        raise ValueError(f'{video}: {len(clip.frames)} frames but {len(maps)} maps; the pipeline must give one clip')
    over = overlay(clip.frames, maps)
    stem = Path(video).stem
    sheet = contact_sheet({'frames': clip.frames, method: over}, columns=columns, title=f'{stem}  {caption}')
    out = Path(out_dir)
    return VideoMaps(
        sheet=write_png(out / f'{stem}.png', sheet),
        animation=write_gif(out / f'{stem}.gif', side_by_side([clip.frames, over]), fps),
        frames=len(clip.frames),
        caption=caption)
