import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

import mmrot3d  # noqa: F401
from mmrot3d.datasets.transforms import VideoRotation


def frame_list(num_frames=6, height=8, width=8, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, (height, width, 3), dtype=np.uint8) for _ in range(num_frames)]


@pytest.mark.parametrize('angles', [(0, 90, 180, 270), (0, 180), (90, 270), (270, )])
def test_random_mode_matches_numpy_rot90_on_frame_lists(angles):
    frames = frame_list()
    transform = VideoRotation(angles=angles, mode='random')
    seen = set()
    for seed in range(40):
        np.random.seed(seed)
        out = transform(dict(imgs=list(frames), num_clips=1))
        (label, ) = out['rotation_label']
        seen.add(int(label))
        k = angles[label] // 90
        assert len(out['imgs']) == len(frames)
        for got, frame in zip(out['imgs'], frames):
            np.testing.assert_array_equal(got, np.rot90(frame, k, axes=(0, 1)))
        assert out['num_clips'] == 1
    assert seen == set(range(len(angles)))


def test_all_mode_on_frame_lists_emits_each_angle_once_rotation_major():
    frames = frame_list(num_frames=8)  # 2 clips x 4 frames
    out = VideoRotation(mode='all')(dict(imgs=list(frames), num_clips=2, clip_len=4))
    np.testing.assert_array_equal(out['rotation_label'], [0, 1, 2, 3])
    assert out['num_clips'] == 8 and len(out['imgs']) == 32
    for r in range(4):
        for i, frame in enumerate(frames):
            np.testing.assert_array_equal(out['imgs'][r * 8 + i], np.rot90(frame, r))


def test_formatted_arrays_rotate_on_the_last_two_axes():
    rng = np.random.default_rng(1)
    ncthw = rng.random((2, 3, 4, 8, 8)).astype(np.float32)
    out = VideoRotation(mode='all')(dict(imgs=ncthw))
    assert out['imgs'].shape == (8, 3, 4, 8, 8) and out['input_shape'] == (8, 3, 4, 8, 8)
    for r in range(4):
        np.testing.assert_array_equal(out['imgs'][2 * r:2 * r + 2], np.rot90(ncthw, r, axes=(3, 4)))
    nchw = rng.random((5, 3, 8, 8)).astype(np.float32)
    np.random.seed(3)
    out = VideoRotation(angles=(0, 90), mode='random')(dict(imgs=nchw))
    k = (0, 1)[out['rotation_label'][0]]
    np.testing.assert_array_equal(out['imgs'], np.rot90(nchw, k, axes=(2, 3)))


def test_builds_from_the_registry():
    transform = TRANSFORMS.build(dict(type='VideoRotation', angles=(0, 180), mode='all'))
    assert isinstance(transform, VideoRotation) and transform.turns == (0, 2)


@pytest.mark.parametrize('kwargs, message', [
    (dict(angles=()), 'angles is empty'),
    (dict(angles=(0, 45)), '45 is not one of 0, 90, 180, 270'),
    (dict(angles=(0, 360)), '360 is not one of'),
    (dict(angles=(0, 90.0)), '90.0 is not one of'),
    (dict(angles=(0, 90, 90)), 'lists an angle twice'),
    (dict(mode='sometimes'), "mode='sometimes'"),
])
def test_bad_arguments_fail_at_build_time(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TRANSFORMS.build(dict(type='VideoRotation', **kwargs))


def test_non_square_frames_with_quarter_turns_are_rejected():
    frames = frame_list(height=8, width=12)
    with pytest.raises(ValueError, match=r'^VideoRotation: frames are 8x12 \(HxW\) but rotations by 90/270'):
        VideoRotation()(dict(imgs=frames, num_clips=1))
    out = VideoRotation(angles=(0, 180), mode='all')(dict(imgs=frames, num_clips=1))
    assert out['imgs'][-1].shape == (8, 12, 3)


def test_a_clip_of_one_frame_rotates():
    (frame, ) = frame_list(num_frames=1)
    out = VideoRotation(mode='all')(dict(imgs=[frame], num_clips=1))
    assert len(out['imgs']) == 4
    for k, got in enumerate(out['imgs']):
        np.testing.assert_array_equal(got, np.rot90(frame, k))


def test_a_frame_list_without_num_clips_is_one_clip():
    """``num_clips`` is optional for frame lists: one clip, so ``'all'`` makes ``len(angles)`` of them."""
    out = VideoRotation(angles=(0, 180), mode='all')(dict(imgs=frame_list(num_frames=2)))
    assert out['num_clips'] == 2 and len(out['imgs']) == 4
    np.random.seed(0)
    assert VideoRotation(mode='random')(dict(imgs=frame_list()))['num_clips'] == 1
