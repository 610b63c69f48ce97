"""Shared pieces: registries, model configs (rotation and supervised twins), benchmark videos,
the paper's pipeline, and one training step."""
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
from mmaction.registry import DATASETS, MODELS
from mmaction.structures import ActionDataSample
from mmaction.utils import register_all_modules
from mmengine.config import Config
from mmengine.optim import AmpOptimWrapper, OptimWrapper

import mmrot3d  # noqa: F401  (upstream fixes before mmaction.models)
from mmrot3d.utils.shipped_files import shipped_path

register_all_modules(init_default_scope=True)
# init_weights logs one INFO line per parameter; the suite's output is its tables.
import logging  # noqa: E402

from mmengine.logging import MMLogger  # noqa: E402

MMLogger.get_current_instance().setLevel(logging.WARNING)

MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


def preprocessor(format_shape: str = 'NCTHW') -> Dict:
    return dict(type='ActionDataPreprocessor', mean=MEAN, std=STD, format_shape=format_shape)


def _backbone(config: str, **overrides) -> Dict:
    return dict(Config.fromfile(shipped_path(f'configs/_base_/models/{config}')).model.backbone.to_dict(), **overrides)


def r3d18() -> Dict:
    """R3D-18 as the pretraining configs define it (configs/_base_/models/r3d18.py)."""
    return _backbone('r3d18.py')


def narrow_r3d(base_channels: int = 8) -> Dict:
    """The narrow R3D-18 of the demo (configs/_base_/models/r3d18_narrow.py), here with ``base_channels``."""
    return _backbone('r3d18_narrow.py', base_channels=base_channels)


# name: backbone cfg, pooled channels, supervised head cfg (MMAction2's own head for it), input
# (T, H, W) or for 2D (segments, H, W), preprocessor format. R3D-18 is full size; the other
# backbones of the core issue are the narrowed configs of tests/models/test_rotation_recognizer.py.
def backbones() -> Dict[str, Tuple]:
    return {
        'R3D-18': (r3d18(), 512, dict(type='I3DHead'), (16, 112, 112), 'NCTHW'),
        'R3D-18-narrow': (narrow_r3d(), 64, dict(type='I3DHead'), (16, 64, 64), 'NCTHW'),
        'C3D': (dict(type='C3D', out_dim=4608, pretrained=None), 4096, dict(type='I3DHead',
                                                                            spatial_type=None), (16, 64, 64), 'NCTHW'),
        'R(2+1)D': (dict(
            narrow_r3d(),
            type='ResNet2Plus1d',
            conv_cfg=dict(type='Conv2plus1d'),
            norm_cfg=dict(type='BN3d'),
            zero_init_residual=False), 64, dict(type='I3DHead'), (8, 32, 32), 'NCTHW'),
        'X3D': (dict(type='X3D', gamma_w=1, gamma_b=2.25, gamma_d=1), 432, dict(type='X3DHead'), (8, 32, 32), 'NCTHW'),
        'SlowFast': (dict(
            type='ResNet3dSlowFast',
            resample_rate=4,
            speed_ratio=4,
            channel_ratio=8,
            slow_pathway=dict(
                type='resnet3d',
                depth=50,
                pretrained=None,
                lateral=True,
                base_channels=8,
                conv1_kernel=(1, 7, 7),
                conv1_stride_t=1,
                pool1_stride_t=1,
                inflate=(0, 0, 1, 1),
                norm_eval=False),
            fast_pathway=dict(
                type='resnet3d',
                depth=50,
                pretrained=None,
                lateral=False,
                base_channels=1,
                conv1_kernel=(5, 7, 7),
                conv1_stride_t=1,
                pool1_stride_t=1,
                norm_eval=False)), 288, dict(type='SlowFastHead'), (8, 32, 32), 'NCTHW'),
        'TimeSformer': (dict(
            type='TimeSformer',
            num_frames=8,
            img_size=32,
            patch_size=16,
            embed_dims=64,
            num_heads=4,
            num_transformer_layers=2,
            attention_type='divided_space_time',
            pretrained=None), 64, dict(type='TimeSformerHead'), (8, 32, 32), 'NCTHW'),
        'TSM': (dict(
            type='ResNetTSM',
            depth=18,
            num_segments=4,
            shift_div=4,
            pretrained=None,
            pretrained2d=False,
            norm_eval=False), 512, dict(type='TSMHead', num_segments=4), (4, 32, 32), 'NCHW'),
    }


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
    from mmrot3d.utils.video_io import write_video
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


def get_videos(args, size: Tuple[int, int], count: int = 4) -> Tuple[Path, Path]:
    """``(folder, list_file)`` of ``count`` benchmark videos of ``size`` (W, H), written once per
    run under ``--videos`` (or a temp dir)."""
    key = (size, count)
    if key not in _VIDEO_CACHE:
        root = Path(args.videos) if getattr(args, 'videos', None) else Path(
            _VIDEO_CACHE.setdefault('root', tempfile.mkdtemp(prefix='mmrot3d_bench_')))
        _VIDEO_CACHE[key] = make_videos(root / f'n{count}', sizes=(size, ), count=count)[f'{size[0]}x{size[1]}']
    return _VIDEO_CACHE[key]


def recipe_pipeline(clip_len=16,
                    frame_interval=2,
                    crop=112,
                    short_side=128,
                    decoder='decord',
                    decord_threads=1,
                    rotation: Optional[Dict] = None,
                    num_clips=1,
                    test_mode=False) -> List[Dict]:
    """configs/_base_/datasets/kinetics400_rotation.py's train pipeline (optionally a rotation step
    after the crop, as ``VideoRotation`` is placed in the in-pipeline recipe)."""
    init, decode = {
        'decord': (dict(type='DecordInit', num_threads=decord_threads), dict(type='DecordDecode')),
        'pyav': (dict(type='PyAVInit'), dict(type='PyAVDecode')),
        'opencv': (dict(type='OpenCVInit'), dict(type='OpenCVDecode'))
    }[decoder]
    crop_step = (dict(type='CenterCrop', crop_size=crop) if test_mode else dict(type='RandomCrop', size=crop))
    steps = [
        init,
        dict(
            type='SampleFrames',
            clip_len=clip_len,
            frame_interval=frame_interval,
            num_clips=num_clips,
            test_mode=test_mode), decode,
        dict(type='Resize', scale=(-1, short_side)), crop_step
    ]
    if not test_mode:
        steps.append(dict(type='Flip', flip_ratio=0.5))
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
