"""CropBorders: every clip of a video loses the same bars, from a detection made once per video or a listed one."""
import json

import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

import mmrot3d  # noqa: F401
from mmrot3d.datasets.transforms import crop_borders
from mmrot3d_harness.video_io import write_video


@pytest.fixture(scope='module')
def boxed(tmp_path_factory):
    rng = np.random.default_rng(0)
    base = np.kron(rng.integers(40, 256, (20, 40, 3), dtype=np.uint8), np.ones((4, 4, 1), np.uint8))
    frames = np.stack([base[:64, 4 * t:4 * t + 96] for t in range(16)])
    frames[:, :8] = 0
    frames[:, -8:] = 0
    path = tmp_path_factory.mktemp('boxed') / 'v.mp4'
    write_video(path, list(frames))
    return str(path), frames


def test_every_clip_of_a_video_loses_the_same_rows_detected_once(boxed, monkeypatch):
    path, frames = boxed
    step = TRANSFORMS.build(dict(type='CropBorders'))
    first = step(dict(filename=path, imgs=list(frames[:4])))
    assert first['imgs'][0].shape[:2] == (48, 96) and first['img_shape'] == (48, 96)
    assert first['borders']['top'] == pytest.approx(0.125, abs=0.02)
    monkeypatch.setattr(crop_borders, 'video_borders', lambda *a: pytest.fail('measured twice'))
    later = step(dict(filename=path, imgs=list(frames[10:14])))  # other frames, the same crop
    assert later['imgs'][0].shape[:2] == (48, 96)


def test_a_listed_video_is_not_decoded_and_a_missing_list_is_one_error_naming_the_command(boxed, tmp_path, monkeypatch):
    path, frames = boxed
    listed = tmp_path / 'borders.json'
    listed.write_text(json.dumps({path: dict(top=0.25, bottom=0.0, left=0.0, right=0.0, overlay=None)}))
    monkeypatch.setattr(crop_borders, 'video_borders', lambda *a: pytest.fail('decoded a listed video'))
    out = TRANSFORMS.build(dict(type='CropBorders', bars_file=str(listed)))(dict(filename=path, imgs=list(frames[:2])))
    assert out['imgs'][0].shape[:2] == (48, 96)
    with pytest.raises(FileNotFoundError, match='tools/check_dataset.py LIST --data-prefix DIR --borders'):
        TRANSFORMS.build(dict(type='CropBorders', bars_file=str(tmp_path / 'none.json')))
