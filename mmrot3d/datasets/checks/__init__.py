"""Checks that answer "what is wrong, and where" in one line, before or during a long run: of the
video files (``video_files``), of pipeline configs (``pipeline``), and of a whole list (``dataset_report``)."""
from .dataset_report import check_dataset
from .pipeline import ConfigError, check_rotation_crop, frame_size_after, sampled_window
from .video_files import check_video, looks_like_a_video_container, scan_entries

__all__ = [
    'ConfigError', 'check_dataset', 'check_rotation_crop', 'check_video', 'frame_size_after',
    'looks_like_a_video_container', 'sampled_window', 'scan_entries'
]
