from .torchvision_r2plus1d import TorchvisionR2Plus1d

__all__ = ['TorchvisionR2Plus1d']
