from .robust_video_dataset import RobustVideoDataset
from .transforms import VideoRotation

__all__ = ['RobustVideoDataset', 'VideoRotation']
