"""Seeing what a backbone learnt: activation maps as the 3DRotNet authors draw them, Grad-CAM, and how much
of a map falls on the actor (synthetic clips, whose actor masks are known).

``tools/visualize_activations.py`` and ``tools/actor_share.py`` are the command-line entry points.
"""
from .activation_maps import activation_maps, normalize_per_frame, upsample_maps
from .actor_focus import compare_backbones, format_table, load_clips_with_masks, measure_actor_share
from .clips import Clip, load_clip, single_clip_pipeline
from .drawing import colorize, contact_sheet, overlay, stack_pngs, write_gif, write_png
from .gradcam import GradCam, gradcam_maps
from .stages import default_stage, resolve_stage
from .video_maps import VideoMaps, clip_maps, visualize_video

__all__ = [
    'activation_maps', 'normalize_per_frame', 'upsample_maps', 'compare_backbones', 'format_table',
    'load_clips_with_masks', 'measure_actor_share', 'Clip', 'load_clip', 'single_clip_pipeline', 'colorize',
    'contact_sheet', 'overlay', 'stack_pngs', 'write_gif', 'write_png', 'GradCam', 'gradcam_maps', 'default_stage',
    'resolve_stage', 'VideoMaps', 'clip_maps', 'visualize_video'
]
