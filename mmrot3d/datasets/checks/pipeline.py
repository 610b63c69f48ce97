"""Static checks of a pipeline config: what size do the frames have where they get rotated, and how many
frames does a clip span? Used before step 1 (RobustVideoDataset, RotationConfigCheckHook)."""
from typing import Callable, Optional, Sequence, Tuple

from ...structures.rotation import angles_to_turns


class ConfigError(ValueError):
    """A config inconsistency found before training starts; the message names the config field."""


def _pair(value) -> Optional[Tuple[int, int]]:
    """``(w, h)`` of an MMAction2 size argument (int = square), or None if not a fixed size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value, value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, int) and v > 0 for v in value):
        return (int(value[0]), int(value[1]))
    return None


def frame_size_after(pipeline: Sequence, stop: Callable[[dict], bool]) -> Tuple[Optional[Tuple[int, int]], str]:
    """Walk a pipeline config up to the first step where ``stop(step)`` is true.

    Returns:
        ``((w, h), step)`` if the steps before fix the frame size, else ``(None, step)`` where ``step``
        describes the last step that set the size (for the error message).
    """
    size, source = None, 'the decoded video (any size)'
    for step in pipeline:
        if not isinstance(step, dict):
            continue
        if stop(step):
            break
        kind = step.get('type')
        kind = kind if isinstance(kind, str) else getattr(kind, '__name__', str(kind))
        if kind in ('CenterCrop', 'ThreeCrop', 'TenCrop'):
            size, source = _pair(step.get('crop_size')), f'{kind}(crop_size={step.get("crop_size")!r})'
        elif kind == 'RandomCrop':
            size, source = _pair(step.get('size')), f'RandomCrop(size={step.get("size")!r})'
        elif kind == 'Resize':
            scale = step.get('scale')
            fixed = _pair(scale) if step.get('keep_ratio', True) is False else None
            size, source = fixed, f'Resize(scale={scale!r}, keep_ratio={step.get("keep_ratio", True)})'
        elif kind in ('RandomResizedCrop', 'MultiScaleCrop', 'RandomRescale', 'PytorchVideoWrapper',
                      'TorchVisionWrapper', 'ImgAug'):
            # random scales/aspect ratios: only a following fixed Resize or crop gives a known size
            size, source = None, f'{kind}(...) (random size)'
    return size, source


def check_rotation_crop(pipeline: Sequence, field: str, turns: Optional[Sequence[int]] = None) -> Optional[str]:
    """Check that frames are square where they get rotated by 90/270 degrees.

    Args:
        pipeline: a pipeline config (list of dicts).
        field: the config field, for the message (e.g. ``'train_dataloader.dataset.pipeline'``).
        turns: quarter turns applied by the model (``rotate_in_model``); None = use the pipeline's
            VideoRotation (checked where it stands).

    Returns:
        A warning when the size cannot be known statically (it is checked again on the first clip).

    Raises:
        ConfigError: the frames are certainly not square.
    """

    def is_rotation(step):
        return step.get('type') in ('VideoRotation', 'mmaction.VideoRotation')

    if turns is None:
        rotation = next((s for s in pipeline if isinstance(s, dict) and is_rotation(s)), None)
        if rotation is None:
            return None
        angles = tuple(rotation.get('angles', (0, 90, 180, 270)))
        turns = angles_to_turns(angles)
        where, stop = f'{field} VideoRotation(angles={angles})', is_rotation
    else:
        where, stop = 'the model (rotate_in_model=True)', (lambda step: False)
    if not any(k % 2 for k in turns):
        return None
    size, source = frame_size_after(pipeline, stop)
    if size is None:
        return (f'{field}: cannot tell statically that frames are square where {where} rotates them by 90/270 '
                f'degrees (last size set by {source}); checked again on the first clip')
    if size[0] != size[1]:
        raise ConfigError(f'{field}: {source} makes {size[0]}x{size[1]} (WxH) frames but {where} rotates by '
                          '90/270 degrees, which needs square frames; use a square crop or angles=(0, 180)')
    return None


def sampled_window(pipeline: Sequence) -> int:
    """Frames a clip spans, as MMAction2's SampleFrames counts it (``clip_len * frame_interval``); 1 if unknown."""
    for step in pipeline:
        if isinstance(step, dict) and step.get('type') in ('SampleFrames', 'UniformSample', 'DenseSampleFrames'):
            if step.get('type') == 'UniformSample':
                return int(step.get('clip_len', 1))
            return int(step.get('clip_len', 1)) * int(step.get('frame_interval', 1) or 1)
    return 1
