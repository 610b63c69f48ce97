"""ResizedDecordInit: decord decodes straight to Resize's size, with Resize's pixels up to interpolation."""
import numpy as np
import pytest
from conftest import falling_block_clip
from mmaction.registry import TRANSFORMS
from mmengine.dataset import Compose

from mmrot3d_harness.video_io import write_video


@pytest.fixture(scope='module')
def wide_video(tmp_path_factory):
    """A 96x64 (WxH) clip: not square, so the short side decides the size."""
    clip = np.concatenate([falling_block_clip(3, size=64), falling_block_clip(4, size=64)[:, :, :32]], axis=2)
    return str(write_video(tmp_path_factory.mktemp('wide') / 'wide.mp4', clip))


def decode(filename, *steps):
    sample = dict(type='SampleFrames', clip_len=8, frame_interval=2, num_clips=1, test_mode=True)
    return Compose([steps[0], sample, dict(type='DecordDecode'), *steps[1:]])(
        dict(filename=filename, start_index=0, modality='RGB'))


def test_frames_have_resize_size_and_pixels(wide_video):
    reference = decode(wide_video, dict(type='DecordInit'), dict(type='Resize', scale=(-1, 40)))
    resized = decode(wide_video, dict(type='ResizedDecordInit', scale=(-1, 40)))
    assert resized['img_shape'] == reference['img_shape'] == (40, 60)
    assert resized['original_shape'] == (40, 60) and len(resized['imgs']) == 8
    np.testing.assert_array_equal(resized['frame_inds'], reference['frame_inds'])
    assert resized['total_frames'] == reference['total_frames']
    area = decode(wide_video, dict(type='DecordInit'), dict(type='Resize', scale=(-1, 40), interpolation='area'))

    def diff(a, b):
        return np.abs(np.stack(a['imgs']).astype(int) - np.stack(b['imgs']).astype(int)).mean()

    # FFmpeg's downscale differs from OpenCV's area resize about as much as OpenCV's bilinear one does
    assert 0 < diff(resized, area) <= 1.25 * diff(reference, area)
    assert 'ResizedDecordInit(scale=(inf, 40)' in repr(TRANSFORMS.build(dict(type='ResizedDecordInit', scale=(-1, 40))))


def test_a_file_that_is_not_a_video_fails_in_the_init_step(tmp_path):
    bad = tmp_path / 'bad.mp4'
    bad.write_bytes(b'not a video' * 100)
    with pytest.raises(RuntimeError, match='Error reading 1100 bytes'):  # decord's: it cannot open the bytes
        TRANSFORMS.build(dict(type='ResizedDecordInit'))(dict(filename=str(bad)))
