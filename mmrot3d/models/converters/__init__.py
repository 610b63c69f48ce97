"""State dicts of other codebases' backbones -> MMAction2 backbones that compute the same function."""
from .torchvision_video_resnet import from_torchvision, to_torchvision, torchvision_model

__all__ = ['from_torchvision', 'to_torchvision', 'torchvision_model']
