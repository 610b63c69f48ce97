"""Pure rotation functions on frames, arrays and tensors.

Every rotation is an exact multiple of 90 degrees, counter-clockwise, done by transposing and
flipping pixels (``np.rot90`` / ``torch.rot90``): no interpolation, no border, nothing that could
leak the angle except the content itself.
"""
from typing import Iterable, List, Sequence, Tuple

import numpy as np
import torch

DEFAULT_ANGLES = (0, 90, 180, 270)


def angles_to_turns(angles: Iterable) -> Tuple[int, ...]:
    """Validate a rotation set and convert degrees to quarter turns.

    Args:
        angles: rotations in degrees, counter-clockwise; each a multiple of 90 in [0, 360).

    Returns:
        ``k`` for each angle (``angle // 90``), in the given order; label ``i`` means ``angles[i]``.
    """
    angles = list(angles)
    if not angles:
        raise ValueError('angles is empty: give at least one rotation, e.g. angles=(0, 90, 180, 270)')
    for angle in angles:
        if isinstance(angle, bool) or not isinstance(angle, (int, np.integer)) or angle % 90 or not 0 <= angle < 360:
            raise ValueError(f'angles={tuple(angles)}: {angle!r} is not one of 0, 90, 180, 270 '
                             '(only exact quarter turns keep the pixels free of interpolation cues)')
    if len(set(angles)) != len(angles):
        raise ValueError(f'angles={tuple(angles)} lists an angle twice')
    return tuple(int(a) // 90 for a in angles)


def check_square(height: int, width: int, turns: Sequence[int], where: str) -> None:
    """Quarter turns of a non-square frame change its shape (and would give the label away)."""
    if height != width and any(k % 2 for k in turns):
        raise ValueError(f'{where}: frames are {height}x{width} (HxW) but rotations by 90/270 degrees need '
                         'square frames; crop to a square first or use angles=(0, 180)')


def rot90_frames(frames: Sequence[np.ndarray], k: int) -> List[np.ndarray]:
    """Rotate each ``(H, W, C)`` frame by ``k`` quarter turns; returns contiguous copies."""
    return [np.ascontiguousarray(np.rot90(frame, k, axes=(0, 1))) for frame in frames]


def rot90_array(array: np.ndarray, k: int) -> np.ndarray:
    """Rotate a formatted array ``(..., H, W)`` (e.g. ``NCTHW`` or ``NCHW``) by ``k`` quarter turns."""
    return np.ascontiguousarray(np.rot90(array, k, axes=(-2, -1)))


def all_rotations(clips: torch.Tensor, turns: Sequence[int]) -> torch.Tensor:
    """Stack every rotation of a batch of clips along the view axis.

    Args:
        clips: ``(N, V, ..., H, W)`` -- e.g. ``(N, V, C, T, H, W)`` for 3D models.
        turns: quarter turns ``k`` to apply; copy ``r`` is ``clips`` rotated by ``turns[r]``.

    Returns:
        ``(N, R * V, ..., H, W)`` with the views of copy ``r`` at ``[:, r * V:(r + 1) * V]``,
        the same order :class:`VideoRotation` produces in the data pipeline.
    """
    views = clips.shape[1]
    out = clips.new_empty((clips.shape[0], len(turns) * views, *clips.shape[2:]))
    for r, k in enumerate(turns):  # one rotated copy alive at a time, not all four and then their concat
        out[:, r * views:(r + 1) * views] = torch.rot90(clips, k, dims=(-2, -1))
    return out
