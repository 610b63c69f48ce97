"""Config inconsistencies stop the run when model and data are built, before any step, with one line
naming the field."""
from pathlib import Path

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.runner import Runner

CONFIG = Path(__file__).parents[1] / 'data' / 'configs' / 'rotnet3d_tiny.py'
ROTATING_PIPELINE = [  # rotations made by the pipeline (rotate_in_model=False)
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=2, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='CenterCrop', crop_size=32),
    dict(type='VideoRotation', angles=(0, 90, 180, 270)),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', algorithm_keys=('rotation_label', ))
]


@MODELS.register_module(force=True)
class DictOutputBackbone(torch.nn.Module):
    """A backbone whose output is a dict, which RotationHead cannot pool."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv3d(3, 4, 1)

    def forward(self, x):
        return {'features': self.conv(x)}

    def init_weights(self):
        pass


def with_pipeline(pipeline, **model):
    return {'train_dataloader.dataset.pipeline': pipeline, 'model.rotate_in_model': False, **model}


def rotating(**rotation):
    """ROTATING_PIPELINE with VideoRotation's arguments changed."""
    return [dict(s, **rotation) if s['type'] == 'VideoRotation' else dict(s) for s in ROTATING_PIPELINE]


def acc_metric_on(val_pipeline):
    """Pipeline rotations for training and validation, validated by MMAction2's AccMetric."""
    return with_pipeline(
        ROTATING_PIPELINE, **{
            'val_dataloader.dataset.pipeline': val_pipeline,
            'val_evaluator': dict(type='AccMetric', _delete_=True)
        })


def crop(step):
    pipeline = [dict(s) for s in ROTATING_PIPELINE]
    pipeline[4] = step
    return pipeline


CASES = {  # what is wrong -> (cfg options, error type, the one line it gives)
    'head classes vs model angles': ({'model.cls_head.num_classes': 3}, ValueError,
                                     r'cls_head.num_classes=3 but angles=\(0, 90, 180, 270\) has 4 rotations'),
    'model angle not a multiple of 90': ({'model.angles': (0, 45, 180, 270)}, ValueError,
                                         r'angles=\(0, 45, 180, 270\): 45 is not one of 0, 90, 180, 270'),
    'pipeline angle not a multiple of 90': (
        with_pipeline([dict(s, angles=(0, 100)) if s['type'] == 'VideoRotation' else s for s in ROTATING_PIPELINE]),
        ValueError, r'angles=\(0, 100\): 100 is not one of'),
    'head classes vs pipeline angles': (
        with_pipeline(ROTATING_PIPELINE, **{'model.cls_head.num_classes': 2}), ValueError,
        r'^model.cls_head.num_classes=2 but train_dataloader.dataset.pipeline VideoRotation has 4 angles'),
    '90/270 on a non-square crop (pipeline)': (
        with_pipeline(crop(dict(type='CenterCrop', crop_size=(40, 32)))), ValueError,
        r"^dataset.pipeline: CenterCrop\(crop_size=\(40, 32\)\) makes 40x32 \(WxH\) frames but dataset.pipeline "
        r'VideoRotation\(angles=\(0, 90, 180, 270\)\) rotates by 90/270'),
    '90/270 on a non-square resize (model)': (
        {'train_dataloader.dataset.pipeline': [dict(s) for s in ROTATING_PIPELINE if s['type'] != 'VideoRotation'][:4]
         + [dict(type='Resize', scale=(40, 32), keep_ratio=False), dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackActionInputs')]}, ValueError,
        r'^train_dataloader.dataset.pipeline: Resize\(scale=\(40, 32\), keep_ratio=False\) makes 40x32 \(WxH\) '
        r'frames but the model \(rotate_in_model=True\) rotates'),
    'pipeline angles vs model angles': (
        with_pipeline(rotating(angles=(90, 0, 180, 270))), ValueError,
        r'^train_dataloader.dataset.pipeline VideoRotation\(angles=\(90, 0, 180, 270\)\) but '
        r'model.angles=\(0, 90, 180, 270\): label i must mean the same angle in both'),
    'val pipeline angles vs model angles': (
        with_pipeline(ROTATING_PIPELINE, **{'val_dataloader.dataset.pipeline': rotating(angles=(0, 270, 180, 90))}),
        ValueError, r'^val_dataloader.dataset.pipeline VideoRotation\(angles=\(0, 270, 180, 90\)\) but '
        r'model.angles=\(0, 90, 180, 270\)'),
    'metric angles vs model angles': (  # not acc_0deg/acc_90deg results for the 0 and 90 degree labels
        {'val_evaluator.angles': (0, 180)}, ValueError,
        r'^val_evaluator.angles=\(0, 180\) but model.angles=\(0, 90, 180, 270\); remove val_evaluator.angles'),
    'AccMetric on in-model rotations': (
        {'val_evaluator': dict(type='AccMetric', _delete_=True)}, ValueError,
        r'^val_evaluator is AccMetric, which scores one label per sample, but model.rotate_in_model=True gives '
        r'each sample 4 rotated copies; use RotationAccuracy'),
    "AccMetric on VideoRotation(mode='all')": (
        acc_metric_on(rotating(mode='all')), ValueError,
        r"^val_evaluator is AccMetric, which scores one label per sample, but val_dataloader.dataset.pipeline "
        r"VideoRotation\(mode='all'\) gives each sample 4 rotated copies"),
    'rotations made twice': ({'train_dataloader.dataset.pipeline': ROTATING_PIPELINE}, ValueError,
                             r'^model.rotate_in_model=True and train_dataloader.dataset.pipeline has VideoRotation'),
    'no rotations at all': ({'model.rotate_in_model': False}, ValueError,
                            r'^model.rotate_in_model=False but train_dataloader.dataset.pipeline has no VideoRotation'),
    'missing annotation list': ({'train_dataloader.dataset.ann_file': '/nonexistent/list.txt'}, ValueError,
                                r"^dataset.ann_file='/nonexistent/list.txt' does not exist$"),
    'missing data root': ({'train_dataloader.dataset.data_prefix.video': '/nonexistent/videos'}, ValueError,
                          r"^dataset.data_prefix.video='/nonexistent/videos' is not a directory$"),
    'head in_channels vs backbone': ({'model.cls_head.in_channels': 48}, ValueError,
                                     r'^model.cls_head.in_channels=48 but model.backbone gives 64 channels; '
                                     r'set model.cls_head.in_channels=64$'),
    'backbone output the head cannot pool': (
        {'model.backbone': dict(type='DictOutputBackbone', _delete_=True)}, ValueError,
        r'^model.cls_head \(RotationHead\) cannot pool the output of model.backbone: RotationHead cannot pool a '
        r'backbone output of type dict$'),
}


def tiny_cfg(video_dir, work_dir, options):
    cfg = Config.fromfile(CONFIG)
    for split in ('train', 'val', 'test'):
        cfg[f'{split}_dataloader'].dataset.update(
            ann_file=str(video_dir / 'list.txt'), data_prefix=dict(video=str(video_dir)))
    cfg.merge_from_dict(options)
    cfg.work_dir = str(work_dir)
    return cfg


@pytest.mark.parametrize('case', list(CASES))
def test_config_error_stops_before_the_first_step_with_one_line(case, video_dir, tmp_path):
    options, error, message = CASES[case]
    steps = []
    with pytest.raises(error, match=message) as info:
        runner = Runner.from_cfg(tiny_cfg(video_dir, tmp_path, options))
        runner.model.train_step = lambda *args, **kwargs: steps.append(1)  # must never be reached
        runner.train()
    assert '\n' not in str(info.value) and not steps
    assert not list(tmp_path.glob('*.pth'))


@pytest.mark.parametrize('evaluator, message', [
    (dict(type='RotationAccuracy', angles=(0, 180)),
     r'^test_evaluator.angles=\(0, 180\) but model.angles=\(0, 90, 180, 270\); remove test_evaluator.angles'),
    (dict(type='AccMetric'), r'^test_evaluator is AccMetric, which scores one label per sample, but '
     r'model.rotate_in_model=True gives each sample 4 rotated copies'),
])
def test_test_evaluator_that_disagrees_with_the_model_stops_before_the_first_batch(evaluator, message, video_dir,
                                                                                   tmp_path):
    """tools/test.py's side (Runner.test): checked before the first test batch is loaded."""
    runner = Runner.from_cfg(tiny_cfg(video_dir, tmp_path, {'test_evaluator': evaluator}))
    batches = []
    runner.model.test_step = lambda *args, **kwargs: batches.append(1)  # must never be reached
    with pytest.raises(ValueError, match=message) as info:
        runner.test()
    assert '\n' not in str(info.value) and not batches


def test_one_angle_set_written_everywhere_passes_the_checks(video_dir, tmp_path):
    """Pipeline rotations that agree with model.angles, one rotated clip per validation sample scored by
    MMAction2's AccMetric beside a RotationAccuracy that writes the model's angles out again: no refusal,
    and both metrics score the validation."""
    options = acc_metric_on(rotating(mode='random'))
    options['val_evaluator'] = [dict(type='AccMetric'), dict(type='RotationAccuracy', angles=(0, 90, 180, 270))]
    cfg = tiny_cfg(video_dir, tmp_path, options)
    cfg.train_cfg.update(max_epochs=1, val_interval=1)
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.message_hub.log_scalars  # the validation's results, as RuntimeInfoHook records them
    assert 'val/acc/top1' in metrics and 'val/rotation/acc_270deg' in metrics
    assert metrics['val/acc/top1'].current() == metrics['val/rotation/top1'].current()


def test_a_consistent_pipeline_rotation_config_passes_the_checks(video_dir, tmp_path):
    """The checks do not reject the pipeline recipe (VideoRotation + rotate_in_model=False)."""
    runner = Runner.from_cfg(tiny_cfg(video_dir, tmp_path, with_pipeline(ROTATING_PIPELINE)))
    before = {k: v.clone() for k, v in runner.model.state_dict().items()}
    runner.call_hook('before_train')  # the config check (a dry run in eval mode) leaves the model as built
    assert all(torch.equal(before[k], v) for k, v in runner.model.state_dict().items())
