from .metrics import RotationAccuracy

__all__ = ['RotationAccuracy']
