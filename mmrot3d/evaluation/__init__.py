from .metrics import FrozenFeatureMetric, RotationAccuracy

__all__ = ['FrozenFeatureMetric', 'RotationAccuracy']
