from .functional import DEFAULT_ANGLES, all_rotations, angles_to_turns, rot90_array, rot90_frames
from .rotation import VideoRotation

__all__ = ['DEFAULT_ANGLES', 'VideoRotation', 'all_rotations', 'angles_to_turns', 'rot90_array', 'rot90_frames']
