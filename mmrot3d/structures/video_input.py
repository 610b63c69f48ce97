"""What a backbone sees: RGB frames, or residual frames (the differences of consecutive sampled frames).

Residual frames keep what moves and drop what stands still, so a rotation pretext on them cannot be solved from
one frame's layout. One backbone must see the same input at every stage (pretraining, fine-tuning, frozen
evaluation, feature extraction): an export records the input of its pretraining, and loading it into a run that
feeds its backbone another input is refused.
"""
from typing import Dict, Iterable, List

import numpy as np

RGB = 'rgb'


def residual_frames(frames: List[np.ndarray], step: int = 1) -> List[np.ndarray]:
    """``T`` frames ``(H, W, C)`` uint8 -> ``T - step`` frames: ``frames[t + step] - frames[t]`` offset to mid-grey
    (128) and clipped to 0-255, so that the rest of a pipeline and the data preprocessor take them as images."""
    if len(frames) <= step:
        raise ValueError(f'residual frames of a clip of {len(frames)} frames at step {step}: sample at least '
                         f'{step + 1} frames (SampleFrames clip_len = the network\'s frames + {step})')
    return [
        np.clip(frames[t + step].astype(np.int16) - frames[t].astype(np.int16) + 128, 0, 255).astype(np.uint8)
        for t in range(len(frames) - step)
    ]


def pipeline_input(pipeline: Iterable[Dict]) -> str:
    """The input a pipeline (a list of transform configs) gives the network: ``'rgb'``, or
    ``'residual(step=K)'`` where it has a ``ResidualFrames`` step."""
    for step in pipeline or ():
        if step.get('type') == 'ResidualFrames':
            return f'residual(step={step.get("step", 1)})'
    return RGB


def config_input(cfg) -> str:
    """The input of a config's runs: that of its training pipeline (else its test or validation pipeline)."""
    for loader in ('train_dataloader', 'test_dataloader', 'val_dataloader'):
        dataset = (cfg.get(loader) or {}).get('dataset') or {}
        while 'pipeline' not in dataset and 'dataset' in dataset:  # RepeatDataset and other wrappers
            dataset = dataset['dataset']
        if dataset.get('pipeline'):
            return pipeline_input(dataset['pipeline'])
    return pipeline_input(cfg.get('train_pipeline') or cfg.get('test_pipeline') or ())
