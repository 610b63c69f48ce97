"""Synthetic action videos whose only "up" is the actor: articulated figures doing 12 actions.

``generate(out, Params(...))`` writes a Kinetics-400-style pretraining set and a UCF101-style
labelled set (see ``generator``); ``render_clip`` renders one clip in memory; ``ActorMasks`` gives the
actor's pixels in every frame of a written clip (rendered again from the clip's seeds, nothing is stored).
"""
from .actions import CLASSES, camel_case
from .generator import (GENERATOR_VERSION, ActorMasks, Params, generate, generate_actor_blob, generate_actor_free,
                        is_complete, make_jobs, render_job, render_job_masks)
from .render import render_actor_masks, render_clip, sample_style
from .stick_figure import JOINTS

__all__ = [
    'CLASSES', 'JOINTS', 'GENERATOR_VERSION', 'ActorMasks', 'Params', 'camel_case', 'generate', 'is_complete',
    'make_jobs', 'generate_actor_blob', 'generate_actor_free', 'render_actor_masks', 'render_clip', 'render_job',
    'render_job_masks', 'sample_style'
]
