"""The benchmark protocol: pretrain by rotation, fine-tune from pretrained and from scratch,
evaluate (multi-clip top-1, frozen-feature retrieval and linear probe, rotation accuracy), report."""
from .backbone import backbone_state_dict, export_backbone, load_backbone
from .feature_extractor import FeatureExtractor

__all__ = ['backbone_state_dict', 'export_backbone', 'load_backbone', 'FeatureExtractor']
