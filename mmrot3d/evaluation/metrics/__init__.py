from .frozen_features import FrozenFeatureMetric
from .rotation_accuracy import RotationAccuracy

__all__ = ['FrozenFeatureMetric', 'RotationAccuracy']
