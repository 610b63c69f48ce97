from .drop_keys import DropKeys
from .resized_decord_init import ResizedDecordInit
from .rotation import VideoRotation

__all__ = ['DropKeys', 'ResizedDecordInit', 'VideoRotation']
