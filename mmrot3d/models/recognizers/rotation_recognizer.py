from typing import Dict, Optional, Sequence, Tuple

import torch
from mmaction.models.recognizers import Recognizer3D
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmaction.utils import SampleList

from ...structures.rotation import DEFAULT_ANGLES, all_rotations, angles_to_turns, check_square


@MODELS.register_module()
class RotationRecognizer(Recognizer3D):
    """Self-supervised recognizer: any MMAction2 backbone (+ neck) learns to predict clip rotation.

    Inputs are what ``ActionDataPreprocessor`` stacks: ``(N, V, C, T, H, W)`` for 3D backbones
    (``format_shape='NCTHW'``) or ``(N, F, C, H, W)`` for 2D backbones (``'NCHW'``; ``F`` frames
    = views x segments, segments taken from ``backbone.num_segments`` when it has one, e.g. TSM).

    Rotations come from one of two places:

    * the data pipeline (``VideoRotation``): each data sample carries ``rotation_label``, one
      label per rotated copy, and the copies' views lie rotation-major along the view axis;
    * the model (``rotate_in_model=True``): the pipeline decodes each clip once, un-rotated, and
      :meth:`loss`/:meth:`predict` build all of ``angles`` here with ``torch.rot90`` -- the same
      inputs and labels ``VideoRotation(mode='all')`` would give, at a quarter of the decoding.

    Either way the head gets MMAction2 data samples whose ``gt_label`` holds the rotation labels, and
    :meth:`predict` returns them with ``pred_score`` over the angles (see :class:`RotationHead`).

    It is a ``Recognizer3D`` because the paper's models are 3D CNNs, and MMAction2's ``GradCAM`` reads the
    inputs of a ``Recognizer3D`` as ``(N, V, C, T, H, W)``: ``mmaction.utils.GradCAM`` explains its rotation
    scores unchanged (clips scored as given: one per sample, no ``rotate_in_model``). Its own
    :meth:`extract_feat` also takes 2D backbones' ``(N, F, C, H, W)``, which that ``GradCAM`` cannot read;
    :func:`mmrot3d.visualization.gradcam_maps` explains both.

    Args:
        backbone: any MMAction2 (or mmpretrain/timm/torchvision) backbone config.
        cls_head: a :class:`RotationHead` config; its ``num_classes`` must equal ``len(angles)``.
        neck: optional neck config.
        rotate_in_model: build the rotations in the model instead of the pipeline.
        angles: the rotation set (degrees; label ``i`` = ``angles[i]``): the one place it is defined.
            The head's ``num_classes`` and a pipeline ``VideoRotation``'s ``angles`` must agree with it
            (``RotationConfigCheckHook`` refuses a config where they do not, before step 1), and
            ``RotationAccuracy`` names its per-angle results from it.
    """

    def __init__(self,
                 backbone: Dict,
                 cls_head: Dict,
                 neck: Optional[Dict] = None,
                 rotate_in_model: bool = False,
                 angles: Sequence[int] = DEFAULT_ANGLES,
                 train_cfg: Optional[Dict] = None,
                 test_cfg: Optional[Dict] = None,
                 data_preprocessor: Optional[Dict] = None) -> None:
        super().__init__(
            backbone=backbone,
            cls_head=cls_head,
            neck=neck,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            data_preprocessor=data_preprocessor)
        self.rotate_in_model = rotate_in_model
        self.angles = tuple(angles)
        self.turns = angles_to_turns(self.angles)
        if rotate_in_model and self.cls_head.num_classes != len(self.turns):
            raise ValueError(f'RotationRecognizer: cls_head.num_classes={self.cls_head.num_classes} but '
                             f'angles={self.angles} has {len(self.turns)} rotations; they must be equal')

    def rotated_batch(self, inputs: torch.Tensor,
                      data_samples: Optional[SampleList]) -> Tuple[torch.Tensor, torch.Tensor]:
        """The clips the backbone sees and their labels.

        Returns:
            ``inputs`` with every rotated copy along axis 1, and labels ``(N, R)``: one per copy.
        """
        if self.rotate_in_model:
            check_square(inputs.shape[-2], inputs.shape[-1], self.turns, 'RotationRecognizer')
            labels = torch.arange(len(self.turns), device=inputs.device).expand(inputs.shape[0], -1)
            return all_rotations(inputs, self.turns), labels
        if not data_samples or 'rotation_label' not in data_samples[0]:
            raise KeyError('RotationRecognizer: data samples carry no rotation_label; add VideoRotation to '
                           "the pipeline and PackActionInputs(algorithm_keys=('rotation_label',)), or set "
                           'rotate_in_model=True')
        labels = torch.stack([torch.as_tensor(s.rotation_label).view(-1) for s in data_samples])
        return inputs, labels.to(inputs.device)

    def num_segments(self, inputs: torch.Tensor, copies: int) -> int:
        """Rows of backbone output that make one clip: 1 for 3D inputs; frames per clip for 2D."""
        if inputs.dim() == 6:
            return 1
        return getattr(self.backbone, 'num_segments', None) or inputs.shape[1] // copies

    def extract_feat(self,
                     inputs: torch.Tensor,
                     stage: str = 'neck',
                     num_segs: int = 1,
                     **kwargs) -> Tuple[torch.Tensor, Dict]:
        """Backbone (+ neck) features of ``inputs`` ``(N, V, ...)``, views flattened into the batch.

        Args:
            stage: ``'backbone'``, ``'neck'`` or ``'head'`` (rotation logits).
            num_segs: rows per clip for 2D backbones (see :meth:`num_segments`).
        """
        feats = self.backbone(inputs.reshape((-1, ) + inputs.shape[2:]))
        if self.with_neck and stage != 'backbone':
            feats, _ = self.neck(feats)
        if stage == 'head':
            feats = self.cls_head(feats, num_segs)
        return feats, dict(num_segs=num_segs)

    def loss(self, inputs: torch.Tensor, data_samples: SampleList, **kwargs) -> Dict[str, torch.Tensor]:
        inputs, labels = self.rotated_batch(inputs, data_samples)
        num_segs = self.num_segments(inputs, labels.shape[1])
        feats, _ = self.extract_feat(inputs, num_segs=num_segs)
        rotations = [ActionDataSample().set_gt_label(label) for label in labels]
        return self.cls_head.loss(feats, rotations, num_segs=num_segs)

    def predict(self, inputs: torch.Tensor, data_samples: SampleList, **kwargs) -> SampleList:
        """Scores the rotations of every clip, as MMAction2's recognizers score classes.

        Sets on every data sample ``gt_label`` -- its copies' rotation labels ``(R,)`` (it replaces an
        action label the sample carried: the rotation is what is predicted here) --, ``pred_score``
        ``(R, num_classes)`` and ``pred_label`` ``(R,)`` (``(num_classes,)`` and ``(1,)`` for one copy,
        as MMAction2's single-label samples), and the metainfo ``rotation_angles`` (label ``i`` means
        ``rotation_angles[i]`` degrees). Clips that neither the model nor the pipeline rotated are scored
        as they are, and taken as upright.
        """
        if self.rotate_in_model or (data_samples and 'rotation_label' in data_samples[0]):
            inputs, labels = self.rotated_batch(inputs, data_samples)
        else:
            labels = torch.full((inputs.shape[0], 1), self.upright_label(), dtype=torch.long, device=inputs.device)
        for sample, label in zip(data_samples, labels):
            sample.set_gt_label(label)
            sample.set_metainfo(dict(rotation_angles=self.angles))
        num_segs = self.num_segments(inputs, labels.shape[1])
        feats, _ = self.extract_feat(inputs, num_segs=num_segs)
        return self.cls_head.predict(feats, data_samples, num_segs=num_segs)

    def upright_label(self) -> int:
        """The label of 0 degrees: what a clip nobody rotated is."""
        if 0 not in self.angles:
            raise ValueError(f'RotationRecognizer: angles={self.angles} has no 0, so clips without a rotation_label '
                             'have no label; rotate them (rotate_in_model=True or VideoRotation in the pipeline)')
        return self.angles.index(0)
