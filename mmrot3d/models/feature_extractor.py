from typing import Dict, List, Optional

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseModel

from .backbone_io import load_backbone_weights
from .heads.rotation_head import global_pool


@MODELS.register_module()
class FeatureExtractor(BaseModel):
    """Frozen features of any MMAction2 backbone (+ neck): one vector per video.

    ``predict`` pools the backbone output globally and averages it over all the clips (views) the
    test pipeline sampled (e.g. 10 uniformly spaced clips), setting ``data_sample.feature`` ``(D,)``.
    For 2D backbones (``NCHW`` inputs) the frames of all segments are averaged the same way.

    Args:
        backbone / neck: model configs, as in a recognizer config.
        checkpoint: a backbone to load strictly in :meth:`init_weights` (an export of
            ``tools/export_backbone.py``, or a plain backbone or recognizer state dict); ``None`` keeps
            the random init (the control every pretrained backbone must beat).
        prefix: the backbone's key prefix in recognizer checkpoints.
    """

    def __init__(self,
                 backbone: Dict,
                 neck: Optional[Dict] = None,
                 data_preprocessor: Optional[Dict] = None,
                 checkpoint: Optional[str] = None,
                 prefix: str = 'backbone.',
                 init_cfg=None) -> None:
        preprocessor = MODELS.build(data_preprocessor or dict(type='ActionDataPreprocessor'))
        super().__init__(data_preprocessor=preprocessor, init_cfg=init_cfg)
        self.backbone, self.backbone_cfg = MODELS.build(backbone), backbone
        self.neck = MODELS.build(neck) if neck else None
        self.checkpoint, self.prefix = checkpoint, prefix

    def init_weights(self) -> None:
        if hasattr(self.backbone, 'init_weights'):
            self.backbone.init_weights()
        if self.neck is not None and hasattr(self.neck, 'init_weights'):
            self.neck.init_weights()
        if self.checkpoint:
            load_backbone_weights(self.backbone, self.checkpoint, self.prefix, backbone_cfg=self.backbone_cfg)

    @torch.no_grad()
    def clip_features(self, clips: torch.Tensor) -> torch.Tensor:
        """``(M, C, T, H, W)`` clips (2D backbones: ``(M, C, H, W)`` frames) -> ``(M, D)`` pooled features."""
        feats = self.backbone(clips)
        if self.neck is not None:
            feats = self.neck(feats)
            feats = feats[0] if isinstance(feats, tuple) and len(feats) == 2 and isinstance(feats[1], dict) \
                else feats
        return global_pool(feats)

    @torch.no_grad()
    def extract(self, inputs: torch.Tensor, clips_per_forward: Optional[int] = None) -> torch.Tensor:
        """``(N, V, ...)`` -> ``(N, D)``: pooled features averaged over the ``V`` views/frames, in forward passes
        of at most ``clips_per_forward`` clips (default: all ``N * V`` at once)."""
        num, views = inputs.shape[:2]
        clips = inputs.reshape((-1, ) + inputs.shape[2:])
        step = clips_per_forward or len(clips)
        pooled = torch.cat([self.clip_features(clips[i:i + step]) for i in range(0, len(clips), step)])
        return pooled.view(num, views, -1).mean(dim=1)

    def forward(self, inputs: torch.Tensor, data_samples: Optional[List] = None, mode: str = 'tensor'):
        if mode == 'loss':
            raise RuntimeError('FeatureExtractor is for frozen-feature evaluation only; it has no loss')
        feats = self.extract(inputs)
        if mode == 'tensor':
            return feats
        for sample, feat in zip(data_samples, feats):
            sample.feature = feat.cpu()
        return data_samples
