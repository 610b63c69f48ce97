from .rotation_head import RotationHead, global_pool

__all__ = ['RotationHead', 'global_pool']
