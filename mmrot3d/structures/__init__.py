"""Plain functions on clips and labels that data pipelines, models and metrics all use (none of them imports
another for these): the rotation set and exact quarter-turn rotations."""
from .rotation import DEFAULT_ANGLES, all_rotations, angles_to_turns, check_square, rot90_array, rot90_frames

__all__ = ['DEFAULT_ANGLES', 'all_rotations', 'angles_to_turns', 'check_square', 'rot90_array', 'rot90_frames']
