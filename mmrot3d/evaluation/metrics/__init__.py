from .rotation_accuracy import RotationAccuracy

__all__ = ['RotationAccuracy']
