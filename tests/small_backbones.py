"""Test-sized backbones: each backbone the rotation recognizer supports, narrowed so that a training step on a
few clips takes well under a second on one CPU core, with the clip size it is built for.

The tests train them (``tests/models/test_rotation_recognizer.py``) and ``overhead`` times them against
MMAction2's supervised recognizers: one definition, so that a passing test and a measured ratio are about
the same models. Importing this module builds nothing and registers nothing.
"""
from typing import Dict, NamedTuple, Tuple

from mmengine.config import Config

from mmrot3d.utils.shipped_files import shipped_path


class SmallBackbone(NamedTuple):
    config: Dict  # the model config's ``backbone=``
    channels: int  # channels of its pooled output: the head's ``in_channels``
    clip: Tuple[int, int, int]  # (T, H, W) of the clips it is built for; a 2D backbone: (segments, H, W)
    format_shape: str  # the data preprocessor's ``format_shape``: 'NCTHW', or 'NCHW' for a 2D backbone


def _shipped_backbone(config: str) -> Dict:
    return Config.fromfile(shipped_path(config)).model.backbone.to_dict()


def r3d18() -> Dict:
    """R3D-18 at full width, as the pretraining configs define it (``configs/_base_/models/r3d18.py``); 512
    output channels."""
    return _shipped_backbone('configs/_base_/models/r3d18.py')


def narrow_r3d(base_channels: int = 8) -> Dict:
    """The demo's narrow R3D-18 (``configs/_base_/models/r3d18_narrow.py``) with ``base_channels``; output
    ``8 * base_channels`` channels."""
    return dict(_shipped_backbone('configs/_base_/models/r3d18_narrow.py'), base_channels=base_channels)


def narrow_slowfast() -> Dict:
    """The SlowFast-R50 of ``configs/rotnet3d/`` with 8 slow and 1 fast base channels; output 288 channels
    (256 slow + 32 fast)."""
    backbone = _shipped_backbone('configs/rotnet3d/rotnet3d_slowfast-r50_1xb32-16x2x1-50e_kinetics400-rgb.py')
    backbone['slow_pathway']['base_channels'] = 8
    backbone['fast_pathway']['base_channels'] = 1
    return backbone


def small_backbones() -> Dict[str, SmallBackbone]:
    """Name -> :class:`SmallBackbone`, one per backbone family (MMAction2's own classes)."""
    return {
        'R3D-18-narrow':
        SmallBackbone(narrow_r3d(), 64, (8, 32, 32), 'NCTHW'),
        # C3D needs 16 frames (5 temporal poolings); at 32x32 its pool5 output is 512 x 1 x 2 x 2 = 2048
        'C3D':
        SmallBackbone(dict(type='C3D', out_dim=2048, pretrained=None), 4096, (16, 32, 32), 'NCTHW'),
        'R(2+1)D':
        SmallBackbone(
            dict(
                narrow_r3d(),
                type='ResNet2Plus1d',
                conv_cfg=dict(type='Conv2plus1d'),
                norm_cfg=dict(type='BN3d'),
                zero_init_residual=False), 64, (8, 32, 32), 'NCTHW'),
        'X3D':
        SmallBackbone(dict(type='X3D', gamma_w=1, gamma_b=2.25, gamma_d=1), 432, (8, 32, 32), 'NCTHW'),
        'SlowFast':
        SmallBackbone(narrow_slowfast(), 288, (8, 32, 32), 'NCTHW'),
        'TimeSformer':
        SmallBackbone(
            dict(
                type='TimeSformer',
                num_frames=8,
                img_size=32,
                patch_size=16,
                embed_dims=64,
                num_heads=4,
                num_transformer_layers=2,
                attention_type='divided_space_time',
                pretrained=None), 64, (8, 32, 32), 'NCTHW'),
        'TSM':
        SmallBackbone(
            dict(
                type='ResNetTSM',
                depth=18,
                num_segments=4,
                shift_div=4,
                pretrained=None,
                pretrained2d=False,
                norm_eval=False), 512, (4, 32, 32), 'NCHW'),
    }
