"""Checks that answer "what is wrong, and where" in one line, before or during a long run: of the
video files (``video_files``, remembered by ``check_cache``), of pipeline configs (``pipeline``), and of a
whole list (``dataset_report``)."""
from .check_cache import CheckCache
from .dataset_report import bad_entry_line, check_dataset, check_list, progress_printer
from .pipeline import ConfigError, check_rotation_crop, frame_size_after, sampled_window
from .video_files import check_video, looks_like_a_video_container, missing_videos_hint, scan_entries

__all__ = [
    'CheckCache', 'ConfigError', 'bad_entry_line', 'check_dataset', 'check_list', 'check_rotation_crop', 'check_video',
    'frame_size_after', 'looks_like_a_video_container', 'missing_videos_hint', 'progress_printer', 'sampled_window',
    'scan_entries'
]
