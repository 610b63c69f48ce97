from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS
from mmaction.utils import SampleList

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
class RotationHead(BaseHead):
    """Classifies which rotation was applied to a clip, under MMAction2's head contract: labels come from
    each data sample's ``gt_label`` and predictions go out as ``pred_score`` (over the angles) and
    ``pred_label``, so MMAction2's ``AccMetric`` and ``tools/test.py --dump`` read them as they read any
    recognizer's.

    Beyond :class:`~mmaction.models.heads.BaseHead`:

    * it pools whatever a backbone returns (:func:`global_pool`), so one head serves 3D CNNs, SlowFast,
      TSN/TSM and transformers, and says which ``in_channels`` to set when they disagree;
    * a data sample may carry ``R`` rotated copies of its clip (``gt_label`` of shape ``(R,)``, the copies'
      views contiguous and rotation-major): the loss pairs every scored clip with its copy's label, and
      :meth:`predict_by_feat` gives ``pred_score`` ``(R, num_classes)`` and ``pred_label`` ``(R,)``. With
      ``R = 1`` the samples are MMAction2's single-label ones: ``(num_classes,)`` and ``(1,)``;
    * the loss is logged as ``loss_rotation`` beside ``rotation_acc``, the top-1 accuracy computed on the
      device (``BaseHead`` copies the scores to the host every step for its ``top1_acc``).

    Args:
        num_classes: the number of rotations (4 for 0/90/180/270 degrees).
        in_channels: channels of the pooled backbone output (summed over pathways).
        hidden_channels: ``None`` for a linear classifier; an int for the paper's MLP
            ``in -> hidden -> ReLU -> num_classes`` (3DRotNet uses 64).
        dropout_ratio: dropout before the classifier, in ``[0, 1)`` (0: none).
        loss_cls: the classification loss config.
        average_clips: how :meth:`predict_by_feat` joins the views of a copy: ``'prob'`` (mean softmax),
            ``'score'`` (mean logits) or ``None`` (one score per view), as in ``BaseHead``.
        init_std: std of the normal init of the linear layers.
    """

    def __init__(self,
                 num_classes: int = 4,
                 in_channels: int = 512,
                 hidden_channels: Optional[int] = None,
                 dropout_ratio: float = 0.0,
                 loss_cls: Dict = dict(type='CrossEntropyLoss'),
                 average_clips: Optional[str] = 'prob',
                 init_std: float = 0.01,
                 init_cfg: Optional[Dict] = None) -> None:
        if num_classes < 2:
            raise ValueError(f'RotationHead: num_classes={num_classes}; rotation prediction needs at least 2 angles')
        # nn.Dropout takes 1 (every feature dropped) and a negative ratio would silently mean no dropout here
        if not 0 <= dropout_ratio < 1:
            raise ValueError(f'RotationHead: dropout_ratio={dropout_ratio}; give a probability in [0, 1)')
        super().__init__(
            num_classes, in_channels, loss_cls=loss_cls, topk=(1, ), average_clips=average_clips, init_cfg=init_cfg)
        self.init_std = init_std
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

    def loss_by_feat(self, cls_scores: torch.Tensor, data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """Cross-entropy of the logits ``(B, num_classes)`` against their copies' labels, and the top-1
        accuracy."""
        labels, views = copy_labels(data_samples, len(cls_scores))
        labels = labels.repeat_interleave(views, dim=1).reshape(-1)
        if labels.max() >= self.num_classes:
            raise ValueError(f'RotationHead(num_classes={self.num_classes}) got rotation label '
                             f'{int(labels.max())}; num_classes must equal the number of angles')
        labels = labels.to(cls_scores.device)
        accuracy = (cls_scores.detach().argmax(dim=1) == labels).float().mean()
        return dict(loss_rotation=self.loss_cls(cls_scores, labels), rotation_acc=accuracy)

    def predict_by_feat(self, cls_scores: torch.Tensor, data_samples: SampleList) -> SampleList:
        """Sets ``pred_score`` (each copy's views joined by ``average_clips``) and ``pred_label`` on every
        data sample; ``(R, ...)`` for ``R`` copies, MMAction2's single-label shapes for one."""
        labels, views = copy_labels(data_samples, len(cls_scores))
        copies = labels.shape[1]
        scores = self.average_clip(cls_scores, num_segs=views)
        scores = scores.view(len(data_samples), copies, *scores.shape[1:])
        for sample, score in zip(data_samples, scores):
            score = score[0] if copies == 1 else score
            sample.set_field(score, 'pred_score')
            sample.set_field(score.detach().argmax(dim=-1).view(-1), 'pred_label')
            sample.set_metainfo(dict(num_classes=self.num_classes))
        return data_samples


def copy_labels(data_samples: SampleList, rows: int) -> Tuple[torch.Tensor, int]:
    """The rotation labels ``(N, R)`` of ``N`` samples of ``R`` copies each, and how many of ``rows``
    scored clips (views) each copy has."""
    labels = torch.stack([torch.as_tensor(s.gt_label).view(-1) for s in data_samples])
    num, copies = labels.shape
    if rows % (num * copies):
        raise ValueError(f'RotationHead: {rows} scored clips cannot be split into {num} samples x {copies} '
                         'rotated copies; each sample needs one gt_label per rotated copy of its clip')
    return labels, rows // (num * copies)


def _describe(feats: Features) -> str:
    if isinstance(feats, (tuple, list)):
        return 'a tuple of ' + ', '.join(str(tuple(f.shape)) for f in feats)
    return str(tuple(feats.shape))
