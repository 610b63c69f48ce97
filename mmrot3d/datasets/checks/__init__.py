"""Checks that answer "what is wrong, and where" in one line, before or during a run: of the video files
(``video_files``), of pipeline configs (``pipeline``), and of what a video shows besides its picture: bars and
overlays (``borders``)."""
from .borders import Borders, detect_borders, video_borders
from .pipeline import ConfigError, check_rotation_crop, frame_size_after, sampled_window
from .video_files import check_video, looks_like_a_video_container, missing_videos_hint, read_errors

__all__ = [
    'Borders', 'detect_borders', 'video_borders', 'ConfigError', 'check_rotation_crop', 'check_video',
    'frame_size_after', 'looks_like_a_video_container', 'missing_videos_hint', 'read_errors', 'sampled_window'
]
