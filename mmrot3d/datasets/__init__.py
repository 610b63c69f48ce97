from .clip_batch import ClipBatch, clip_batch_collate
from .robust_video_dataset import RobustVideoDataset
from .transforms import VideoRotation
from .video_list import Entry, read_video_list, write_video_list

__all__ = [
    'ClipBatch', 'clip_batch_collate', 'Entry', 'RobustVideoDataset', 'VideoRotation', 'read_video_list',
    'write_video_list'
]
