from .crop_borders import CropBorders
from .cue_controls import BlurFrames, KeepBorder, MaskBorder, ShuffleFrames, StaticFrames
from .drop_keys import DropKeys
from .residual_frames import ResidualFrames
from .resized_decord_init import ResizedDecordInit
from .rotation import VideoRotation

__all__ = [
    'BlurFrames', 'CropBorders', 'DropKeys', 'KeepBorder', 'MaskBorder', 'ResidualFrames', 'ResizedDecordInit',
    'ShuffleFrames', 'StaticFrames', 'VideoRotation'
]
