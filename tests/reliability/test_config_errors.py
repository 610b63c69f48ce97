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


def test_a_consistent_pipeline_rotation_config_passes_the_checks(video_dir, tmp_path):
    """The checks do not reject the pipeline recipe (VideoRotation + rotate_in_model=False)."""
    runner = Runner.from_cfg(tiny_cfg(video_dir, tmp_path, with_pipeline(ROTATING_PIPELINE)))
    before = {k: v.clone() for k, v in runner.model.state_dict().items()}
    runner.call_hook('before_train')  # the config check (a dry run in eval mode) leaves the model as built
    assert all(torch.equal(before[k], v) for k, v in runner.model.state_dict().items())
