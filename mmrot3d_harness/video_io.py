"""Writing small video files that decord (and every MMAction2 decoder) can read."""
from pathlib import Path
from typing import Sequence, Union

import cv2
import numpy as np

# decord 0.6.0 fails to copy out frames of some small widths (seen: 16, 24, 48, 72 px) with
# "DECORDArrayCopyFromTo: The size must exactly match"; 32, 40, 56, 64 and >= 80 decode fine.
DECORD_UNSAFE_WIDTHS = frozenset({16, 24, 48, 72})


def write_video(path: Union[str, Path], frames: Sequence[np.ndarray], fps: float = 25.0) -> Path:
    """Write RGB frames to a video file.

    Args:
        path: ``.mp4`` (MPEG-4 part 2, ``mp4v``) or ``.avi`` (MPEG-4 part 2, ``XVID``, as UCF101 and HMDB51
            ship their videos) output path.
        frames: ``T`` arrays of shape ``(H, W, 3)``, dtype ``uint8``, RGB order.
        fps: frame rate stored in the container.

    Returns:
        The path written.
    """
    path = Path(path)
    if len(frames) == 0:
        raise ValueError(f'write_video({path}): no frames to write')
    height, width = frames[0].shape[:2]
    if width in DECORD_UNSAFE_WIDTHS:
        raise ValueError(f'write_video({path}): width {width} px cannot be read back by decord 0.6.0; '
                         f'use another width (not one of {sorted(DECORD_UNSAFE_WIDTHS)})')
    # OpenCV here has no H.264 encoder. Not Motion-JPEG for .avi: decord reads 16 of 32 frames of an MJPG
    # file 2x slower than of an XVID one (it seeks frame by frame), which the demo's fine-tuning feels.
    fourcc = cv2.VideoWriter_fourcc(*('XVID' if path.suffix.lower() == '.avi' else 'mp4v'))
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), fourcc, fps, (width, height))
    if not writer.isOpened():
        raise OSError(f'write_video({path}): OpenCV could not open a writer for this path')
    try:
        for frame in frames:
            writer.write(cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2BGR))
    finally:
        writer.release()
    return path
