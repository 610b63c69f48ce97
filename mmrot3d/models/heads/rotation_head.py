from typing import Dict, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmaction.registry import MODELS
from mmengine.model import BaseModule

Features = Union[torch.Tensor, Sequence[torch.Tensor]]


def global_pool(feats: Features) -> torch.Tensor:
    """Average a backbone output to one vector per input.

    Args:
        feats: ``(M, C, T, H, W)`` (3D CNNs), ``(M, C, H, W)`` (2D CNNs, one row per frame),
            ``(M, L, C)`` (token sequences), ``(M, C)`` (already pooled, e.g. TimeSformer), or a
            tuple/list of those (e.g. SlowFast's two pathways, concatenated along channels).

    Returns:
        ``(M, C)`` (``C`` summed over pathways).
    """
    if isinstance(feats, (tuple, list)):
        return torch.cat([global_pool(f) for f in feats], dim=1)
    if not isinstance(feats, torch.Tensor):
        raise TypeError(f'RotationHead cannot pool a backbone output of type {type(feats).__name__}')
    if feats.dim() in (4, 5):
        return feats.flatten(2).mean(dim=2)
    if feats.dim() == 3:
        return feats.mean(dim=1)
    if feats.dim() == 2:
        return feats
    raise ValueError(f'RotationHead cannot pool a backbone output of shape {tuple(feats.shape)}')


@MODELS.register_module()
class RotationHead(BaseModule):
    """Classifies which rotation was applied to a clip.

    Args:
        num_classes: the number of rotations (4 for 0/90/180/270 degrees).
        in_channels: channels of the pooled backbone output (summed over pathways).
        hidden_channels: ``None`` for a linear classifier; an int for the paper's MLP
            ``in -> hidden -> ReLU -> num_classes`` (3DRotNet uses 64).
        dropout_ratio: dropout before the classifier.
        loss_cls: the classification loss config.
        init_std: std of the normal init of the linear layers.
    """

    def __init__(self,
                 num_classes: int = 4,
                 in_channels: int = 512,
                 hidden_channels: Optional[int] = None,
                 dropout_ratio: float = 0.0,
                 loss_cls: Dict = dict(type='CrossEntropyLoss'),
                 init_std: float = 0.01,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_classes < 2:
            raise ValueError(f'RotationHead: num_classes={num_classes}; rotation prediction needs at least 2 angles')
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.init_std = init_std
        self.loss_cls = MODELS.build(loss_cls)
        self.dropout = nn.Dropout(dropout_ratio) if dropout_ratio > 0 else nn.Identity()
        if hidden_channels is None:
            self.classifier = nn.Linear(in_channels, num_classes)
        else:
            self.classifier = nn.Sequential(
                nn.Linear(in_channels, hidden_channels), nn.ReLU(inplace=True), nn.Linear(hidden_channels, num_classes))

    def init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, self.init_std)
                nn.init.zeros_(m.bias)

    def pool(self, feats: Features, num_segs: int = 1) -> torch.Tensor:
        """Pool backbone features to ``(B, C)``, averaging ``num_segs`` consecutive rows
        (the frames of a 2D backbone's segments) into one clip vector."""
        pooled = global_pool(feats)
        if pooled.shape[1] != self.in_channels:
            raise ValueError(f'RotationHead(in_channels={self.in_channels}) got backbone features with '
                             f'{pooled.shape[1]} channels after pooling {_describe(feats)}; '
                             f'set in_channels={pooled.shape[1]}')
        if pooled.shape[0] % num_segs:
            raise ValueError(f'RotationHead: {pooled.shape[0]} feature rows are not a multiple of '
                             f'num_segs={num_segs}')
        return pooled.view(-1, num_segs, pooled.shape[1]).mean(dim=1)

    def forward(self, feats: Features, num_segs: int = 1) -> torch.Tensor:
        """Returns rotation logits ``(B, num_classes)``."""
        return self.classifier(self.dropout(self.pool(feats, num_segs)))

    def loss(self, feats: Features, labels: torch.Tensor, num_segs: int = 1) -> Dict[str, torch.Tensor]:
        """Cross-entropy against ``labels`` ``(B,)`` and the rotation top-1 accuracy."""
        logits = self(feats, num_segs)
        if labels.max() >= self.num_classes:
            raise ValueError(f'RotationHead(num_classes={self.num_classes}) got rotation label '
                             f'{int(labels.max())}; num_classes must equal the number of angles')
        labels = labels.to(logits.device)
        accuracy = (logits.detach().argmax(dim=1) == labels).float().mean()
        return dict(loss_rotation=self.loss_cls(logits, labels), rotation_acc=accuracy)


def _describe(feats: Features) -> str:
    if isinstance(feats, (tuple, list)):
        return 'a tuple of ' + ', '.join(str(tuple(f.shape)) for f in feats)
    return str(tuple(feats.shape))
