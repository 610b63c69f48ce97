"""Letterbox and pillarbox bars, and static overlays (a channel's logo), found from a few decoded frames.

A bar is a run of rows (letterbox) or columns (pillarbox) from an edge of the frame that is dark, uniform
across the frame and the same in every sampled frame. Rotated by 90 degrees a bar turns from horizontal to
vertical, which tells {0, 180} from {90, 270} without looking at anything else: a rotation pretext can be
solved from it. An overlay is a patch that stays exactly still and textured while the rest of the video
changes, near the edge of the picture; found only where most of the video changes (on a static camera most
of the picture stays still, and a still background would pass for an overlay).
"""
from dataclasses import asdict, dataclass
from typing import Dict, Optional, Tuple

import cv2
import numpy as np

# A bar row or column, in grey levels of 0-255: mean luma at most BAR_LUMA (video black is 16), spread over its
# pixels at most BAR_SPREAD in every frame, its mean the same in every frame within BAR_STILL. A dark, dim scene
# (luma 25-30, spread 3-6, drifting by a few levels) is none.
BAR_LUMA, BAR_SPREAD, BAR_STILL = 24.0, 3.0, 2.0
# Bars narrower than MIN_BAR of a side (at least 2 lines) are noise; on more than MAX_BARS of a side, a dark frame
# rather than bars: neither is cropped.
MIN_BAR, MAX_BARS = 0.02, 0.4
# Overlay: pixels that change by at most STILL grey levels over the sampled frames, with a local contrast of at
# least TEXTURE, while the frame's median pixel changes by at least MOVING; at least OVERLAY_AREA of the frame.
# The overlay is the largest patch of such pixels; its bounding box covers at most MAX_OVERLAY of the picture.
# Cropping it off takes a strip from an edge of at most MAX_OVERLAY_CUT of the side.
STILL, TEXTURE, MOVING, OVERLAY_AREA, MAX_OVERLAY, MAX_OVERLAY_CUT = 2.0, 24.0, 3.0, 0.002, 0.1, 0.3


@dataclass(frozen=True)
class Borders:
    """Bars as fractions of the frame's height (``top``, ``bottom``) and width (``left``, ``right``), and the
    bounding box ``(x0, y0, x1, y1)`` of a static overlay as fractions of the frame (None: none found, or the
    video does not change enough to tell)."""
    top: float = 0.0
    bottom: float = 0.0
    left: float = 0.0
    right: float = 0.0
    overlay: Optional[Tuple[float, float, float, float]] = None

    @property
    def has_bars(self) -> bool:
        return any((self.top, self.bottom, self.left, self.right))

    def cut(self, overlays: bool = True) -> Tuple[float, float, float, float]:
        """The fractions of the frame to cut off ``(top, bottom, left, right)``: the bars and, with ``overlays``, the
        thinnest strip from an edge that holds the overlay (none where that strip would exceed MAX_OVERLAY_CUT)."""
        cut = [self.top, self.bottom, self.left, self.right]
        if overlays and self.overlay:
            x0, y0, x1, y1 = self.overlay
            strips = [y1, 1 - y0, x1, 1 - x0]  # the strip from each edge that holds the overlay
            side = int(np.argmin(strips))
            if strips[side] <= MAX_OVERLAY_CUT:
                cut[side] = max(cut[side], strips[side])
        return tuple(cut)

    def crop_box(self, height: int, width: int, overlays: bool = True) -> Tuple[int, int, int, int]:
        """``(y0, y1, x0, x1)``: the pixels of a ``height x width`` frame that :meth:`cut` keeps."""
        top, bottom, left, right = self.cut(overlays)
        return (int(round(top * height)), height - int(round(bottom * height)), int(round(left * width)),
                width - int(round(right * width)))

    def to_dict(self) -> Dict:
        return asdict(self)


def _luma(frames: np.ndarray) -> np.ndarray:
    """``(K, H, W, 3)`` uint8 RGB -> ``(K, H, W)`` float32 luma."""
    return frames[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _bar_run(luma: np.ndarray, axis: int) -> Tuple[int, int]:
    """Rows (``axis=2``: statistics over each row's pixels) or columns (``axis=1``) of ``(K, H, W)`` luma that
    are bars, counted from the first and from the last edge: ``(from the start, from the end)``."""
    mean = luma.mean(axis=axis)  # (K, lines)
    spread = luma.std(axis=axis)
    bar = (mean.mean(axis=0) <= BAR_LUMA) & (spread.max(axis=0) <= BAR_SPREAD) & (np.ptp(mean, axis=0) <= BAR_STILL)
    start = int(np.argmin(bar)) if not bar.all() else len(bar)
    end = int(np.argmin(bar[::-1])) if not bar.all() else len(bar)
    least = max(2, int(np.ceil(MIN_BAR * len(bar))))
    return (start if start >= least else 0), (end if end >= least else 0)


def _overlay(luma: np.ndarray, inside: Tuple[int, int, int, int]) -> Optional[Tuple[float, float, float, float]]:
    """The bounding box of the still, textured pixels (their neighbours still too, so that the edge of a still
    region against a moving one does not count) within the outer quarter of the picture inside the bars."""
    y0, y1, x0, x1 = inside
    picture = luma[:, y0:y1, x0:x1]
    if min(picture.shape[1:], default=0) < 8:
        return None
    change = picture.max(axis=0) - picture.min(axis=0)
    if np.median(change) < MOVING:
        return None
    still = change <= STILL
    core = still.copy()
    core[1:-1, 1:-1] &= still[:-2, 1:-1] & still[2:, 1:-1] & still[1:-1, :-2] & still[1:-1, 2:]
    core[[0, -1], :] = core[:, [0, -1]] = False
    frame = np.median(picture, axis=0)
    contrast = np.zeros_like(frame)
    contrast[1:-1,
             1:-1] = np.maximum(np.abs(frame[2:, 1:-1] - frame[:-2, 1:-1]), np.abs(frame[1:-1, 2:] - frame[1:-1, :-2]))
    height, width = frame.shape
    edge = np.ones_like(core)
    edge[height // 4:height - height // 4, width // 4:width - width // 4] = False
    found = core & (contrast >= TEXTURE) & edge
    if found.mean() < OVERLAY_AREA:
        return None
    # the largest compact patch (strokes of a logo joined): a logo or a caption, not still pixels scattered about
    joined = cv2.dilate(found.astype(np.uint8), np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    if count < 2:
        return None
    left, top, w, h, _ = stats[1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))]
    if w * h > MAX_OVERLAY * height * width or found[top:top + h,
                                                     left:left + w].mean() * w * h < OVERLAY_AREA * found.size:
        return None
    full_h, full_w = luma.shape[1:]
    return ((x0 + left) / full_w, (y0 + top) / full_h, (x0 + left + w) / full_w, (y0 + top + h) / full_h)


def detect_borders(frames: np.ndarray) -> Borders:
    """The bars and overlay of a video from ``frames``, a few of its decoded frames ``(K, H, W, 3)`` uint8 RGB
    spread over it (``K >= 2``, so that what stays the same can be told from what changes)."""
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[0] < 2:
        raise ValueError(f'detect_borders: frames of shape {frames.shape}; give (K >= 2, H, W, 3)')
    luma = _luma(frames)
    _, height, width = luma.shape
    top, bottom = _bar_run(luma, axis=2)
    left, right = _bar_run(luma, axis=1)
    if top + bottom > MAX_BARS * height:
        top = bottom = 0
    if left + right > MAX_BARS * width:
        left = right = 0
    overlay = _overlay(luma, (top, height - bottom, left, width - right))
    return Borders(top / height, bottom / height, left / width, right / width, overlay)


def video_borders(path: str, num_frames: int = 8) -> Borders:
    """:func:`detect_borders` of ``num_frames`` frames spread evenly over the video at ``path`` (decord)."""
    import decord
    reader = decord.VideoReader(path, num_threads=1)
    count = len(reader)
    if count < 2:
        raise ValueError(f'{path}: {count} frame(s); borders need at least 2')
    index = np.linspace(0, count - 1, min(num_frames, count)).round().astype(int)
    return detect_borders(reader.get_batch(sorted(set(index.tolist()))).asnumpy())
