from .data_preprocessors import CropFlipDataPreprocessor
from .heads import RotationHead
from .recognizers import RotationRecognizer

__all__ = ['CropFlipDataPreprocessor', 'RotationHead', 'RotationRecognizer']
