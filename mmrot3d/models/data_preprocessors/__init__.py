from .crop_flip_data_preprocessor import CropFlipDataPreprocessor

__all__ = ['CropFlipDataPreprocessor']
