"""The cue controls keep the one cue they name and take the rest away, on the frames the network sees."""
import cv2
import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

import mmrot3d  # noqa: F401


def clip(num_frames=8, size=16, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, (size, size, 3), dtype=np.uint8) for _ in range(num_frames)]


def run(step, frames, filename='a/video.mp4'):
    return TRANSFORMS.build(step)(dict(imgs=list(frames), num_clips=1, filename=filename))['imgs']


def mean_colour(frames):
    return np.mean([f.reshape(-1, 3).mean(axis=0) for f in frames], axis=0).astype(np.uint8)


def test_static_repeats_the_middle_frame():
    frames = clip()
    out = run(dict(type='StaticFrames'), frames)
    assert len(out) == len(frames) and all(np.array_equal(f, frames[4]) for f in out)


def test_shuffled_is_another_order_of_the_same_frames_fixed_per_video():
    frames = clip()
    first, again, other = (
        run(dict(type='ShuffleFrames'), frames, name)
        for name in ('/data/a/v1.mp4', '/elsewhere/v1.mp4', '/data/a/v2.mp4'))
    order = [next(i for i, f in enumerate(frames) if np.array_equal(f, g)) for g in first]
    assert sorted(order) == list(range(8)) and order != list(range(8))
    # the same for every run and rotated copy, wherever the data lie
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert any(not np.array_equal(a, b) for a, b in zip(first, other))


def test_border_only_keeps_the_band_and_fills_the_inside_with_the_mean_colour():
    frames = clip(size=16)
    out = run(dict(type='KeepBorder', band=0.25), frames)  # 4 px of 16
    fill = mean_colour(frames)
    for got, frame in zip(out, frames):
        assert np.array_equal(got[:4], frame[:4]) and np.array_equal(got[-4:], frame[-4:])
        assert np.array_equal(got[:, :4], frame[:, :4]) and np.array_equal(got[:, -4:], frame[:, -4:])
        assert (got[4:12, 4:12] == fill).all()


def test_centre_only_masks_the_band_and_keeps_the_inside():
    frames = clip(size=16)
    out = run(dict(type='MaskBorder', band=0.25), frames)
    fill = mean_colour(frames)
    for got, frame in zip(out, frames):
        assert np.array_equal(got[4:12, 4:12], frame[4:12, 4:12])
        assert (got[:4] == fill).all() and (got[:, -4:] == fill).all()


def test_layout_only_is_a_blur_of_sigma_times_the_side():
    frames = clip(size=32)
    out = run(dict(type='BlurFrames', sigma=0.1), frames)
    want = cv2.GaussianBlur(frames[0], (0, 0), sigmaX=3.2, borderType=cv2.BORDER_REFLECT)
    assert np.array_equal(out[0], want)
    assert out[0].astype(float).std() < frames[0].astype(float).std() / 3  # the detail is gone


@pytest.mark.parametrize('step', [dict(type='KeepBorder', band=0.5), dict(type='BlurFrames', sigma=0)])
def test_settings_out_of_range_are_refused(step):
    with pytest.raises(ValueError, match=step['type']):
        TRANSFORMS.build(step)


def test_a_formatted_clip_or_several_clips_are_refused_with_where_to_place_the_control():
    with pytest.raises(TypeError, match='after the crop and before FormatShape'):
        TRANSFORMS.build(dict(type='StaticFrames'))(dict(imgs=np.zeros((1, 3, 8, 16, 16), np.uint8)))
    with pytest.raises(ValueError, match='one clip per sample'):
        TRANSFORMS.build(dict(type='StaticFrames'))(dict(imgs=clip(), num_clips=2))
