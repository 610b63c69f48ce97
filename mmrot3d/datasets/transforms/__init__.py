from .drop_keys import DropKeys
from .functional import DEFAULT_ANGLES, all_rotations, angles_to_turns, rot90_array, rot90_frames
from .resized_decord_init import ResizedDecordInit
from .rotation import VideoRotation

__all__ = [
    'DEFAULT_ANGLES', 'DropKeys', 'ResizedDecordInit', 'VideoRotation', 'all_rotations', 'angles_to_turns',
    'rot90_array', 'rot90_frames'
]
