from .transforms import VideoRotation

__all__ = ['VideoRotation']
