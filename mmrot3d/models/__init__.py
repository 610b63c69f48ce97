from .heads import RotationHead
from .recognizers import RotationRecognizer

__all__ = ['RotationHead', 'RotationRecognizer']
