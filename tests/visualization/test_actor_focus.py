"""Does it look at the actor? Clips and masks through one pipeline, the measurement, several backbones."""
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
import torch.nn as nn
from mmaction.registry import MODELS
from small_backbones import narrow_r3d

from mmrot3d.apis import init_model, load_config
from mmrot3d.visualization import compare_backbones, load_clip, load_clips_with_masks, measure_actor_share
from mmrot3d.visualization.clips import single_clip_pipeline
from mmrot3d_harness.synthetic import ActorMasks

REPO = Path(__file__).resolve().parents[2]
# val_pipeline: 8 frames at stride 2, resized to 40, centre crop 32
CONFIG = str(REPO / 'tests/data/configs/rotnet3d_tiny.py')


@pytest.fixture(scope='module')
def videos(synthetic_dataset):
    return [str(p) for p in sorted((synthetic_dataset / 'ucf_style' / 'UCF-101').glob('*/*_c01.avi'))[::2]]


def test_masks_follow_the_frames_through_the_pipeline(videos):
    cfg = load_config(CONFIG)
    masks_of = ActorMasks.of_video(videos[0])
    masks = masks_of(videos[0])
    preprocessor = MODELS.build(cfg.model.data_preprocessor)
    clip = load_clip(videos[0], single_clip_pipeline(cfg), preprocessor, masks)
    assert clip.inputs.shape == (1, 1, 3, 8, 32, 32) and clip.frames.shape == (8, 32, 32, 3)
    assert clip.frame_inds.tolist() == list(range(0, 16, 2))  # the test clip of a 16-frame video
    expected = [
        cv2.resize(masks[i].astype(np.uint8) * 255, (40, 40), interpolation=cv2.INTER_LINEAR)[4:36, 4:36] >= 128
        for i in clip.frame_inds
    ]
    np.testing.assert_array_equal(clip.masks, np.stack(expected))


def test_a_residual_frames_mask_is_where_either_of_its_two_frames_has_the_actor(videos):
    cfg = load_config(CONFIG)
    pipeline = single_clip_pipeline(cfg)
    sample = next(t for t in pipeline if t['type'] == 'SampleFrames')
    sample.update(clip_len=9, frame_interval=1)  # 8 differences of 9 frames
    pipeline.insert(next(i for i, t in enumerate(pipeline) if t['type'] == 'FormatShape'), dict(type='ResidualFrames'))
    masks = ActorMasks.of_video(videos[0])(videos[0])
    clip = load_clip(videos[0], pipeline, MODELS.build(cfg.model.data_preprocessor), masks)
    assert clip.inputs.shape == (1, 1, 3, 8, 32, 32)
    cropped = [
        cv2.resize(masks[i].astype(np.uint8) * 255, (40, 40), interpolation=cv2.INTER_LINEAR)[4:36, 4:36] >= 128
        for i in clip.frame_inds
    ]
    expected = np.stack([cropped[t] | cropped[t + 1] for t in range(8)])
    assert 0 < expected.mean() < 0.5  # the actor, not the frame
    np.testing.assert_array_equal(clip.masks, expected)


def brightness_probe() -> nn.Module:
    """A backbone whose stage's map is the mean of the input's RGB, pixel by pixel."""
    probe = nn.Sequential()
    probe.add_module('stage', nn.Sequential(nn.Conv3d(3, 1, 1), nn.ReLU()))
    with torch.no_grad():
        probe.stage[0].weight.fill_(1 / 3)
        probe.stage[0].bias.zero_()
    return probe


def test_measurement_on_real_clips_and_their_masks(videos):
    """Known answers on the generator's masks: a map that is the actor gives it all the mass (share 1, lift
    1 / its area), a map that is everything but the actor none; a real backbone's shares lie between."""
    cfg = load_config(CONFIG)
    preprocessor = MODELS.build(cfg.model.data_preprocessor)
    inputs, masks = load_clips_with_masks(videos, single_clip_pipeline(cfg), preprocessor,
                                          ActorMasks.of_video(videos[0]))
    assert inputs.shape == (len(videos), 1, 3, 8, 32, 32) and masks.shape == (len(videos), 8, 32, 32)
    frame_areas = masks.flatten(2).double().mean(dim=2)
    area, frames = frame_areas[frame_areas > 0].mean().item(), int((frame_areas > 0).sum())
    assert 0 < area < 0.5 and frames > 0

    def as_images(shown):  # (N, T, H, W) bool -> (N, 1, 3, T, H, W): white where True
        return shown[:, None, None].float().expand(-1, 1, 3, -1, -1, -1)

    on_actor = measure_actor_share(brightness_probe(), as_images(masks), masks, stages=('stage', ))['stage']
    off_actor = measure_actor_share(brightness_probe(), as_images(~masks), masks, stages=('stage', ))['stage']
    for reading in ('raw', 'normalized'):
        assert on_actor[reading]['actor_share'] == pytest.approx(1.0)
        assert on_actor[reading]['lift'] == pytest.approx(1 / area)
        assert on_actor[reading]['area_share'] == pytest.approx(area) and on_actor[reading]['frames'] == frames
        assert off_actor[reading]['actor_share'] == 0 and off_actor[reading]['lift'] == 0

    torch.manual_seed(0)
    backbone = MODELS.build(narrow_r3d())
    result = measure_actor_share(backbone, inputs, masks, stages=('layer1', 'layer3'))
    assert set(result) == {'layer1', 'layer3'}
    for stage in result.values():
        for reading in ('raw', 'normalized'):
            assert 0 < stage[reading]['actor_share'] < 1 and stage[reading]['area_share'] == pytest.approx(area)


def test_backbones_are_compared_on_the_same_clips(videos, tmp_path):
    other, _ = init_model(CONFIG, seed=1)
    export = tmp_path / 'backbone.pth'
    torch.save(other.backbone.state_dict(), export)
    results = compare_backbones(
        CONFIG, {
            'random init': None,
            'other init': str(export)
        },
        videos,
        ActorMasks.of_video(videos[0]),
        stages=('layer2', ))
    assert results['random init']['clips'] == results['other init']['clips'] == len(videos)
    first, second = (results[k]['layer2']['normalized'] for k in ('random init', 'other init'))
    assert first['area_share'] == second['area_share'] and first['actor_share'] != second['actor_share']
