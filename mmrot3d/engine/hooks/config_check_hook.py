"""Config inconsistencies that need the built model, the data pipelines and the metrics together, before step 1."""
import logging
from typing import Optional, Sequence, Tuple

import torch
from mmaction.evaluation import AccMetric
from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from ...datasets.checks import ConfigError, check_rotation_crop, frame_size_after
from ...evaluation.metrics import RotationAccuracy
from ...models.heads.rotation_head import global_pool
from ...models.recognizers.rotation_recognizer import RotationRecognizer
from ...structures.rotation import DEFAULT_ANGLES


def find_pipeline(dataset_cfg, field: str) -> Tuple[Optional[Sequence], str]:
    """The pipeline config of a dataset config, looking through Repeat/Concat wrappers."""
    if not isinstance(dataset_cfg, dict):
        return None, field
    if 'pipeline' in dataset_cfg:
        return list(dataset_cfg['pipeline']), f'{field}.pipeline'
    if isinstance(dataset_cfg.get('dataset'), dict):
        return find_pipeline(dataset_cfg['dataset'], f'{field}.dataset')
    if dataset_cfg.get('datasets'):
        return find_pipeline(dataset_cfg['datasets'][0], f'{field}.datasets[0]')
    return None, field


def _is_rotation(step) -> bool:
    return isinstance(step, dict) and step.get('type') in ('VideoRotation', 'mmaction.VideoRotation')


def pipeline_rotation(model: RotationRecognizer, pipeline: Sequence, field: str) -> Optional[dict]:
    """The pipeline's VideoRotation config, checked against the model's rotation set; None if it has none."""
    rotation = next((step for step in pipeline if _is_rotation(step)), None)
    if model.rotate_in_model and rotation is not None:
        raise ConfigError(f'model.rotate_in_model=True and {field} has VideoRotation: every clip would be '
                          'rotated twice; remove one of them')
    if rotation is not None:
        angles = tuple(rotation.get('angles', DEFAULT_ANGLES))
        if len(angles) != model.cls_head.num_classes:
            raise ConfigError(f'model.cls_head.num_classes={model.cls_head.num_classes} but {field} VideoRotation '
                              f'has {len(angles)} angles {angles}; they must be equal')
        if angles != model.angles:
            raise ConfigError(f'{field} VideoRotation(angles={angles}) but model.angles={model.angles}: label i '
                              'must mean the same angle in both; give them the same angles')
    return rotation


def check_rotation_config(model: RotationRecognizer, pipeline: Sequence, field: str) -> Optional[str]:
    """Rotation source, head classes, angle sets and crop shape; raises ConfigError, returns a warning or None."""
    rotation = pipeline_rotation(model, pipeline, field)
    if not model.rotate_in_model and rotation is None:
        raise ConfigError(f'model.rotate_in_model=False but {field} has no VideoRotation: nothing makes the '
                          'rotation labels; add VideoRotation or set model.rotate_in_model=True')
    if rotation is not None:
        return check_rotation_crop(pipeline, field)  # (also checked by the dataset when it is built)
    if getattr(model.data_preprocessor, 'crop_size', None):  # CropFlipDataPreprocessor: square crops
        return None
    return check_rotation_crop(pipeline, field, turns=model.turns)


def dummy_clip(model: RotationRecognizer, pipeline: Sequence) -> torch.Tensor:
    """A zero batch of one clip shaped as the pipeline and the data preprocessor would shape it."""
    sample = next((s for s in pipeline if isinstance(s, dict) and 'clip_len' in s), {})
    frames = int(sample.get('clip_len', 8))
    crop = getattr(model.data_preprocessor, 'crop_size', None)
    size, _ = ((crop, crop), '') if crop else frame_size_after(pipeline, _is_rotation)
    width, height = size or (112, 112)
    fmt = getattr(model.data_preprocessor, 'format_shape', 'NCTHW')
    if fmt == 'NCHW':
        frames = getattr(model.backbone, 'num_segments', None) or frames
        return torch.zeros(1, frames, 3, height, width)
    return torch.zeros(1, 1, 3, frames, height, width)


def check_head_fits_backbone(model: RotationRecognizer, clip: torch.Tensor) -> None:
    """Run backbone (+ neck) once on ``clip`` and check the head can pool what comes out."""
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()  # no BatchNorm statistics may change: this must leave the model exactly as built
    try:
        with torch.no_grad():
            clip = clip.to(device)
            num_segs = model.num_segments(clip, 1)
            try:
                feats, _ = model.extract_feat(clip, num_segs=num_segs)
            # what a backbone raises for input of the wrong shape (torch's shape checks, MMAction2's asserts);
            # any other error is a bug in the backbone's code and is raised as it is
            except (RuntimeError, ValueError, AssertionError, IndexError) as err:
                if isinstance(err, torch.cuda.OutOfMemoryError):
                    raise
                raise ConfigError(
                    f'model.backbone fails on a clip shaped like the pipeline output '
                    f'{tuple(clip.shape[1:])}: {str(err).splitlines()[0] if str(err) else err!r}') from err
            try:
                pooled = global_pool(feats)
            except (TypeError, ValueError) as err:
                raise ConfigError(f'model.cls_head ({type(model.cls_head).__name__}) cannot pool the output of '
                                  f'model.backbone: {err}') from None
    finally:
        model.train(was_training)
    head_in = getattr(model.cls_head, 'in_channels', None)
    if head_in is not None and pooled.shape[1] != head_in:
        neck = '+neck' if model.with_neck else ''
        raise ConfigError(f'model.cls_head.in_channels={head_in} but model.backbone{neck} gives {pooled.shape[1]} '
                          f'channels; set model.cls_head.in_channels={pooled.shape[1]}')


def check_evaluation(model: RotationRecognizer, evaluator, dataloader_cfg, split: str) -> None:
    """The ``val``/``test`` pipeline's rotations and the metrics that score them agree with the model."""
    pipeline, field = find_pipeline((dataloader_cfg or {}).get('dataset'), f'{split}_dataloader.dataset')
    rotation = pipeline_rotation(model, pipeline, field) if pipeline else None
    copies, made_by = 1, ''
    if model.rotate_in_model:
        copies, made_by = len(model.angles), 'model.rotate_in_model=True'
    elif rotation is not None and rotation.get('mode', 'random') == 'all':
        copies, made_by = len(model.angles), f"{field} VideoRotation(mode='all')"
    metrics = list(getattr(evaluator, 'metrics', []))
    for i, metric in enumerate(metrics):
        where = f'{split}_evaluator' + (f'[{i}]' if len(metrics) > 1 else '')
        if isinstance(metric, RotationAccuracy) and metric.angles not in (None, model.angles):
            raise ConfigError(f'{where}.angles={metric.angles} but model.angles={model.angles}; remove '
                              f"{where}.angles (the model's angles name the results)")
        if isinstance(metric, AccMetric) and copies > 1:
            raise ConfigError(f'{where} is AccMetric, which scores one label per sample, but {made_by} gives each '
                              f'sample {copies} rotated copies; use RotationAccuracy, which scores every copy')


@HOOKS.register_module()
class RotationConfigCheckHook(Hook):
    """Fail in ``before_train`` -- after everything is built, before the first step -- with one line
    naming the config field, instead of minutes (or, behind a slow data loader, hours) later.

    Checks: a rotation source exists exactly once (pipeline ``VideoRotation`` or
    ``model.rotate_in_model``), ``model.cls_head.num_classes`` equals the number of angles, frames are
    square where 90/270-degree rotations happen, and the head can pool the backbone output with its
    ``in_channels`` (one forward pass of a single zero clip in eval mode, weights untouched).

    ``model.angles`` is the one definition of the rotation set: a ``VideoRotation`` of the train, val or
    test pipeline and a ``RotationAccuracy(angles=...)`` must list the same angles, and an ``AccMetric``
    may only score samples that hold one rotated clip each. The val side is checked in ``before_train``,
    the test side in ``before_test`` (``tools/test.py``).
    """

    priority = 'VERY_HIGH'

    def __init__(self, dry_run: bool = True) -> None:
        self.dry_run = dry_run

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        if not isinstance(model, RotationRecognizer):
            return
        pipeline, field = find_pipeline(
            runner.cfg.get('train_dataloader', {}).get('dataset'), 'train_dataloader.dataset')
        if pipeline is None:
            return
        warning = check_rotation_config(model, pipeline, field)
        if warning:
            print_log(warning, logger='current', level=logging.WARNING)
        if runner.val_loop is not None:
            check_evaluation(model, getattr(runner.val_loop, 'evaluator', None), runner.cfg.get('val_dataloader'),
                             'val')
        if self.dry_run:
            check_head_fits_backbone(model, dummy_clip(model, pipeline))

    def before_test(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        if isinstance(model, RotationRecognizer):
            check_evaluation(model, getattr(runner.test_loop, 'evaluator', None), runner.cfg.get('test_dataloader'),
                             'test')
