from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmaction.models.backbones.resnet3d import BasicBlock3d, ResNet3d
from mmaction.registry import MODELS
from mmcv.cnn import ConvModule, build_norm_layer
from mmengine.model.weight_init import constant_init, kaiming_init
from torch.nn.modules.utils import _triple


class Conv2plus1dMid(nn.Module):
    """A ``(kt, k, k)`` convolution as torchvision's ``Conv2Plus1D`` factors it: a ``(1, k, k)`` spatial
    conv to ``mid_channels``, BN, ReLU, then a ``(kt, 1, 1)`` temporal conv.

    Parameter names are those of MMAction2's ``Conv2plus1d`` (``conv_s``, ``bn_s``, ``conv_t``), which
    cannot be used as it is: it derives its middle width from its own in/out channels, where torchvision
    gives both convs of a block the width of the first (and the stem 45). Built by ``ConvModule`` (which
    passes ``dilation``, ``groups`` and ``bias``; only the defaults occur here).

    Shapes: ``(N, C_in, T, H, W)`` -> ``(N, C_out, T / st, H / s, W / s)``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: Sequence[int],
                 stride: Sequence[int] = 1,
                 padding: Sequence[int] = 0,
                 dilation: int = 1,
                 groups: int = 1,
                 bias: bool = False,
                 mid_channels: int = 64,
                 norm_cfg: dict = dict(type='BN3d')) -> None:
        super().__init__()
        kernel_size, stride, padding = _triple(kernel_size), _triple(stride), _triple(padding)
        if _triple(dilation) != (1, 1, 1) or groups != 1:
            raise ValueError(f'Conv2plus1dMid: dilation={dilation}, groups={groups}; torchvision has neither')
        # what ConvModule reads back from its conv
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, kernel_size
        self.stride, self.padding, self.dilation, self.groups = stride, padding, (1, 1, 1), 1
        self.transposed, self.output_padding = False, (0, 0, 0)
        self.conv_s = nn.Conv3d(
            in_channels,
            mid_channels, (1, ) + kernel_size[1:],
            stride=(1, ) + stride[1:],
            padding=(0, ) + padding[1:],
            bias=bias)
        _, self.bn_s = build_norm_layer(norm_cfg, mid_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv_t = nn.Conv3d(
            mid_channels,
            out_channels, (kernel_size[0], 1, 1),
            stride=(stride[0], 1, 1),
            padding=(padding[0], 0, 0),
            bias=bias)

    def init_weights(self) -> None:
        kaiming_init(self.conv_s)
        kaiming_init(self.conv_t)
        constant_init(self.bn_s, 1, bias=0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv_t(self.relu(self.bn_s(self.conv_s(x))))


def torchvision_mid_channels(inplanes: int, planes: int) -> int:
    """torchvision's ``BasicBlock``: the middle width of both (2+1)D convs of a block (from the paper's
    parameter-matching rule for a 3x3x3 conv from ``inplanes`` to ``planes``)."""
    return (inplanes * planes * 3 * 3 * 3) // (inplanes * 3 * 3 + 3 * planes)


class BasicBlock2Plus1d(BasicBlock3d):
    """MMAction2's ``BasicBlock3d`` with (2+1)D convs of torchvision's widths (its residual path, a plain
    1x1x1 conv + BN, comes from the backbone's ``conv_cfg``)."""

    def __init__(self, inplanes: int, planes: int, *args, norm_cfg: dict = dict(type='BN3d'), **kwargs) -> None:
        kwargs['conv_cfg'] = dict(
            type=Conv2plus1dMid, mid_channels=torchvision_mid_channels(inplanes, planes), norm_cfg=norm_cfg)
        super().__init__(inplanes, planes, *args, norm_cfg=norm_cfg, **kwargs)


@MODELS.register_module()
class TorchvisionR2Plus1d(ResNet3d):
    """R(2+1)D as torchvision's ``r2plus1d_18`` builds it (``VideoResNet`` with ``R2Plus1dStem`` and
    ``Conv2Plus1D``), in MMAction2's ``ResNet3d`` with its parameter names, so that a converted torchvision
    state dict computes the same function (``mmrot3d/models/converters``).

    Unlike MMAction2's ``ResNet2Plus1d``: a stem of 45 middle channels (``stem_mid_channels``), both convs
    of a block as wide in the middle as torchvision makes them, plain 1x1x1 residual convs, and no pooling.
    The other arguments are ``ResNet3d``'s; their defaults here are torchvision's (stride 2 in space and
    time in stages 2-4).

    Shapes: ``(N, 3, T, H, W)`` -> ``(N, 8 * base_channels, T / 8, H / 16, W / 16)`` (rounded up).
    """
    arch_settings = {18: (BasicBlock2Plus1d, (2, 2, 2, 2)), 34: (BasicBlock2Plus1d, (3, 4, 6, 3))}

    def __init__(self,
                 depth: int = 18,
                 stem_mid_channels: int = 45,
                 pretrained2d: bool = False,
                 conv1_kernel: Tuple[int, int, int] = (3, 7, 7),
                 temporal_strides: Sequence[int] = (1, 2, 2, 2),
                 with_pool1: bool = False,
                 with_pool2: bool = False,
                 **kwargs) -> None:
        if pretrained2d or with_pool1 or with_pool2:
            raise ValueError('TorchvisionR2Plus1d: pretrained2d, with_pool1 and with_pool2 must be False '
                             '(torchvision inflates no 2D weights and pools nowhere before the head)')
        self.stem_mid_channels = stem_mid_channels
        super().__init__(
            depth=depth,
            pretrained2d=False,
            conv1_kernel=conv1_kernel,
            temporal_strides=temporal_strides,
            with_pool1=False,
            with_pool2=False,
            **kwargs)

    def _make_stem_layer(self) -> None:
        """``conv1``: torchvision's ``R2Plus1dStem`` (a (2+1)D conv, BN, ReLU); no max pooling."""
        self.conv1 = ConvModule(
            self.in_channels,
            self.base_channels,
            kernel_size=self.conv1_kernel,
            stride=(self.conv1_stride_t, self.conv1_stride_s, self.conv1_stride_s),
            padding=tuple((k - 1) // 2 for k in _triple(self.conv1_kernel)),
            bias=False,
            conv_cfg=dict(type=Conv2plus1dMid, mid_channels=self.stem_mid_channels, norm_cfg=self.norm_cfg),
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)
