from .robust_video_dataset import RobustVideoDataset
from .transforms import VideoRotation
from .video_list import Entry, read_video_list, write_video_list

__all__ = ['Entry', 'RobustVideoDataset', 'VideoRotation', 'read_video_list', 'write_video_list']
