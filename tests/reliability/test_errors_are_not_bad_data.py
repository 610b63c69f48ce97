"""Errors that are not bad data surface as themselves. A wrong argument of a reading step stops the run at the
first sample with the step named, never as "too many bad videos" (bad files themselves, still skipped and
counted: test_bad_data.py); the file check, the config check's backbone run and the export's reading of a
recorded config raise what is a bug or a wrong argument instead of reporting it as the data's or the config's
fault."""
import pytest
import torch
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config
from small_backbones import narrow_r3d

from mmrot3d.datasets.checks import ConfigError, check_video
from mmrot3d.engine.hooks.config_check_hook import check_head_fits_backbone
from mmrot3d.models.backbone_io import backbone_config_text

PIPELINE = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=2, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='CenterCrop', crop_size=32),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]


def test_a_misspelt_argument_of_a_reading_step_stops_at_the_first_sample_naming_the_step(video_dir):
    # DecordInit(num_thread=2), for num_threads: it passes the stray keyword to its file client, which is built
    # at the first sample and raises TypeError there, for every video alike
    dataset = DATASETS.build(
        dict(
            type='RobustVideoDataset',
            ann_file=str(video_dir / 'list.txt'),
            data_prefix=dict(video=str(video_dir)),
            pipeline=[dict(PIPELINE[0], num_thread=2), *PIPELINE[1:]],
            max_bad_fraction=0.5))
    with pytest.raises(TypeError) as info:
        dataset[0]
    assert str(info.value).startswith(f'dataset.pipeline[0] (DecordInit) reading {video_dir / "clip_0.mp4"}: ')
    assert "unexpected keyword argument 'num_thread'" in str(info.value)
    assert dataset.bad_counts() == (0, 0, 0, 8)  # no video taken for a bad one


def test_a_wrong_argument_of_the_file_check_is_raised_not_reported_as_a_bad_file(video_dir):
    video = str(video_dir / 'clip_0.mp4')
    assert check_video(video, min_frames=16) is None
    with pytest.raises(TypeError):  # an unset clip length passed on: not "truncated or corrupt video"
        check_video(video, min_frames=None)


@MODELS.register_module(force=True)
class BackboneWithABug(torch.nn.Module):
    """A backbone whose forward uses a layer it never made."""

    def forward(self, x):
        return self.missing_layer(x)

    def init_weights(self):
        pass


def recognizer(backbone):
    return MODELS.build(
        dict(
            type='RotationRecognizer',
            backbone=backbone,
            rotate_in_model=True,
            cls_head=dict(type='RotationHead', in_channels=64),
            data_preprocessor=dict(type='ActionDataPreprocessor', format_shape='NCTHW')))


def test_the_config_check_names_a_backbone_the_clip_does_not_fit_and_raises_a_backbones_bug():
    with pytest.raises(ConfigError, match=r'^model.backbone fails on a clip shaped like the pipeline output'):
        check_head_fits_backbone(recognizer(narrow_r3d()), torch.zeros(1, 1, 2, 8, 32, 32))  # 2 colour channels
    with pytest.raises(AttributeError, match='missing_layer'):
        check_head_fits_backbone(recognizer(dict(type='BackboneWithABug')), torch.zeros(1, 1, 3, 8, 32, 32))


def test_an_export_skips_an_outdated_recorded_config_but_raises_a_failing_reader(monkeypatch):
    assert "'type': 'X3D'" in backbone_config_text("model = dict(backbone=dict(type='X3D'))\n")
    assert backbone_config_text('model = dict(\n') == ''  # another version's syntax
    assert backbone_config_text("_base_ = ['gone/base.py']\nmodel = dict()\n") == ''  # its base files moved

    def changed_api(*args, **kwargs):
        raise TypeError("fromstring() got an unexpected keyword argument 'file_format'")

    monkeypatch.setattr(Config, 'fromstring', changed_api)  # MMEngine's reader changed: not the config's fault
    with pytest.raises(TypeError, match='file_format'):
        backbone_config_text("model = dict(backbone=dict(type='X3D'))\n")
