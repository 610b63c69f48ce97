"""Shared pieces of the measurements: registries, the rotation recognizer and its supervised twin, benchmark
videos, the paper's pipeline, and one training step. The backbones are in ``backbones.py``."""
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
from mmaction.registry import DATASETS, MODELS
from mmaction.structures import ActionDataSample
from mmaction.utils import register_all_modules
from mmengine.optim import AmpOptimWrapper, OptimWrapper

import mmrot3d  # noqa: F401  (upstream fixes before mmaction.models)

register_all_modules(init_default_scope=True)
# init_weights logs one INFO line per parameter; the suite's output is its tables.
import logging  # noqa: E402

from mmengine.logging import MMLogger  # noqa: E402

MMLogger.get_current_instance().setLevel(logging.WARNING)

MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


def preprocessor(format_shape: str = 'NCTHW') -> Dict:
    return dict(type='ActionDataPreprocessor', mean=MEAN, std=STD, format_shape=format_shape)


def build_rotation(backbone: Dict, channels: int, format_shape: str = 'NCTHW', rotate_in_model=True, device='cpu'):
    model = MODELS.build(
        dict(
            type='RotationRecognizer',
            backbone=backbone,
            rotate_in_model=rotate_in_model,
            cls_head=dict(type='RotationHead', num_classes=4, in_channels=channels, hidden_channels=64),
            data_preprocessor=preprocessor(format_shape)))
    model.init_weights()
    return model.to(device)


def build_supervised(backbone: Dict,
                     channels: int,
                     head: Dict,
                     format_shape: str = 'NCTHW',
                     num_classes: int = 400,
                     device='cpu'):
    """MMAction2's plain supervised twin: Recognizer3D (Recognizer2D for 2D backbones) + its head."""
    rec = 'Recognizer2D' if format_shape == 'NCHW' else 'Recognizer3D'
    model = MODELS.build(
        dict(
            type=rec,
            backbone=backbone,
            cls_head=dict(head, num_classes=num_classes, in_channels=channels),
            data_preprocessor=preprocessor(format_shape)))
    model.init_weights()
    return model.to(device)


def synthetic_batch(num: int,
                    shape: Tuple[int, int, int],
                    format_shape: str = 'NCTHW',
                    labels: Optional[str] = None,
                    seed: int = 0) -> Dict:
    """A packed batch as ``PackActionInputs`` + ``pseudo_collate`` give it: uint8 clips.

    ``labels``: None, ``'gt'`` (supervised ``gt_label``) or ``'rotation'`` (the 4 rotations
    already made, as ``VideoRotation(mode='all')`` packs them: ``num`` clips x 4 copies).
    """
    g = torch.Generator().manual_seed(seed)
    t, h, w = shape
    inputs, samples = [], []
    for i in range(num):
        clip = torch.randint(
            0, 256, (1, 3, t, h, w) if format_shape == 'NCTHW' else (t, 3, h, w), generator=g, dtype=torch.uint8)
        sample = ActionDataSample()
        if labels == 'gt':
            sample.set_gt_label(i % 400)
        if labels == 'rotation':
            clip = torch.cat([torch.rot90(clip, k, dims=(-2, -1)) for k in range(4)], dim=0)
            sample.rotation_label = torch.arange(4)
        inputs.append(clip)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def optim_wrapper(model, device='cpu', amp=False):
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-3)
    if amp and device.startswith('cuda'):
        return AmpOptimWrapper(optimizer=optimizer)
    return OptimWrapper(optimizer=optimizer)


def train_step(model, data: Dict, wrapper) -> None:
    """One MMEngine training step: data preprocessor, forward, backward, optimizer step."""
    model.train_step(data, wrapper)


# ---- videos ----------------------------------------------------------------------------------
def make_videos(root: Path, sizes=((340, 256), (170, 128)), count: int = 4, frames: int = 64) -> Dict:
    """Write ``count`` 64-frame mp4 videos per (W, H) size with :func:`write_video`; returns
    ``{'340x256': (folder, list_file), ...}``. Content: moving noise blobs (non-trivial to encode)."""
    from mmrot3d_harness.video_io import write_video
    out = {}
    for w, h in sizes:
        folder = root / f'{w}x{h}'
        lines = []
        for i in range(count):
            rng = np.random.default_rng(i)
            base = rng.integers(0, 256, size=(h // 8 + 3, w // 8 + 3, 3), dtype=np.uint8)
            base = np.kron(base, np.ones((8, 8, 1), dtype=np.uint8))
            clip = np.stack([base[(t % 16):(t % 16) + h, (t // 2 % 16):(t // 2 % 16) + w] for t in range(frames)])
            name = f'v{i}.mp4'
            write_video(folder / name, clip)
            lines.append(f'{name} {i % 2}')
        (folder / 'list.txt').write_text('\n'.join(lines) + '\n')
        out[f'{w}x{h}'] = (folder, folder / 'list.txt')
    return out


_VIDEO_CACHE: Dict = {}


def get_videos(args, size: Tuple[int, int]) -> Tuple[Path, Path]:
    """``(folder, list_file)`` of 4 benchmark videos of ``size`` (W, H), written once per run under
    ``--videos`` (or a temp dir)."""
    if size not in _VIDEO_CACHE:
        root = Path(args.videos) if getattr(args, 'videos', None) else Path(
            _VIDEO_CACHE.setdefault('root', tempfile.mkdtemp(prefix='mmrot3d_bench_')))
        _VIDEO_CACHE[size] = make_videos(root, sizes=(size, ))[f'{size[0]}x{size[1]}']
    return _VIDEO_CACHE[size]


def recipe_pipeline(clip_len=16,
                    frame_interval=2,
                    crop=112,
                    short_side=128,
                    rotation: Optional[Dict] = None) -> List[Dict]:
    """configs/_base_/datasets/kinetics400_rotation.py's train pipeline (optionally a rotation step
    after the crop, as ``VideoRotation`` is placed in the in-pipeline recipe)."""
    steps = [
        dict(type='DecordInit', num_threads=1),
        dict(type='SampleFrames', clip_len=clip_len, frame_interval=frame_interval, num_clips=1),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(-1, short_side)),
        dict(type='RandomCrop', size=crop),
        dict(type='Flip', flip_ratio=0.5)
    ]
    if rotation:
        steps.append(rotation)
    steps += [
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs', algorithm_keys=('rotation_label', ))
    ]
    return steps


def build_dataset(folder: Path, list_file: Path, pipeline: List[Dict], repeat: int = 1):
    ds = dict(type='VideoDataset', ann_file=str(list_file), data_prefix=dict(video=str(folder)), pipeline=pipeline)
    if repeat > 1:
        ds = dict(type='RepeatDataset', dataset=ds, times=repeat)
    return DATASETS.build(ds)
