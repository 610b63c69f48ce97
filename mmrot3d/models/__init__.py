from .backbone_io import BackboneCheckpointError, export_backbone, load_backbone_weights, read_backbone_file
from .backbones import TorchvisionR2Plus1d
from .data_preprocessors import CropFlipDataPreprocessor
from .feature_extractor import FeatureExtractor
from .heads import RotationHead
from .recognizers import RotationRecognizer

__all__ = [
    'BackboneCheckpointError', 'CropFlipDataPreprocessor', 'FeatureExtractor', 'RotationHead', 'RotationRecognizer',
    'TorchvisionR2Plus1d', 'export_backbone', 'load_backbone_weights', 'read_backbone_file'
]
