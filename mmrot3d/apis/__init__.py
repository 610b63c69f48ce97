"""High-level helpers for tools: build a model from a config and load weights; extract features."""
from .inference import init_model, load_config, load_weights

__all__ = ['init_model', 'load_config', 'load_weights']
