"""Synthetic action videos whose only "up" is the actor: articulated figures doing 12 actions.

``generate(out, Params(...))`` writes a Kinetics-400-style pretraining set and a UCF101-style
labelled set (see ``generator``); ``render_clip`` renders one clip in memory.
"""
from .actions import CLASSES, camel_case
from .figure import JOINTS
from .generator import (GENERATOR_VERSION, Params, generate, generate_actor_free, is_complete, make_jobs,
                        render_job)
from .render import render_clip, sample_style

__all__ = ['CLASSES', 'JOINTS', 'GENERATOR_VERSION', 'Params', 'camel_case', 'generate', 'is_complete',
           'make_jobs', 'generate_actor_free', 'render_clip', 'render_job', 'sample_style']
