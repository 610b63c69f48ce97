"""Plain functions on clips and labels that data pipelines, models and metrics all use (none of them imports
another for these): the rotation set and exact quarter-turn rotations; what a backbone sees (RGB or residual
frames)."""
from .rotation import DEFAULT_ANGLES, all_rotations, angles_to_turns, check_square, rot90_array, rot90_frames
from .video_input import RGB, config_input, pipeline_input, residual_frames

__all__ = [
    'DEFAULT_ANGLES', 'all_rotations', 'angles_to_turns', 'check_square', 'rot90_array', 'rot90_frames', 'RGB',
    'config_input', 'pipeline_input', 'residual_frames'
]
