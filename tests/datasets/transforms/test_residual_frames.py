"""ResidualFrames: the differences of consecutive sampled frames, offset to mid-grey, clip by clip."""
import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

import mmrot3d  # noqa: F401
from mmrot3d.structures import pipeline_input, residual_frames


def frames(count, size=8, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, (size, size, 3), dtype=np.uint8) for _ in range(count)]


def test_each_frame_is_the_next_minus_this_offset_to_grey_and_clipped():
    clip = frames(5)
    out = TRANSFORMS.build(dict(type='ResidualFrames'))(dict(imgs=list(clip), clip_len=5))
    assert len(out['imgs']) == 4 and out['clip_len'] == 4
    for t, got in enumerate(out['imgs']):
        want = np.clip(clip[t + 1].astype(int) - clip[t].astype(int) + 128, 0, 255)
        assert got.dtype == np.uint8 and np.array_equal(got, want)
    still = [np.full((8, 8, 3), 77, np.uint8)] * 3
    assert all((f == 128).all() for f in residual_frames(still))  # what stands still is mid-grey


def test_every_sampled_clip_of_a_test_pipeline_gets_its_own_differences():
    clips = frames(6, seed=1)  # two clips of three frames
    out = TRANSFORMS.build(dict(type='ResidualFrames'))(dict(imgs=list(clips), clip_len=3, num_clips=2))
    assert out['clip_len'] == 2
    assert np.array_equal(out['imgs'][2], residual_frames(clips[3:])[0])  # not clips[3] - clips[2]


def test_it_commutes_with_a_rotation():
    clip = frames(4, seed=2)
    rotated_first = residual_frames([np.rot90(f) for f in clip])
    assert all(np.array_equal(a, np.rot90(b)) for a, b in zip(rotated_first, residual_frames(clip)))


def test_too_few_frames_or_a_broken_clip_length_is_one_clear_error():
    with pytest.raises(ValueError, match='sample at least 2 frames'):
        residual_frames(frames(1))
    with pytest.raises(ValueError, match='not whole clips of clip_len=4'):
        TRANSFORMS.build(dict(type='ResidualFrames'))(dict(imgs=frames(6), clip_len=4))


def test_the_input_of_a_pipeline_is_named_by_its_residual_step():
    assert pipeline_input([dict(type='DecordInit'), dict(type='Resize')]) == 'rgb'
    assert pipeline_input([dict(type='ResidualFrames', step=2)]) == 'residual(step=2)'
