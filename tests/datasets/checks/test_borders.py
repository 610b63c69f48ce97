"""Bars and overlays, found from a few frames: letterbox and pillarbox bars, a logo on a moving picture; nothing
on a dark, dim scene or a still one; and the crop that removes them."""
import numpy as np
import pytest

import mmrot3d  # noqa: F401
from mmrot3d.datasets.checks import Borders, detect_borders, video_borders
from mmrot3d_harness.video_io import write_video


def moving(count=8, height=64, width=96, seed=0):
    """Noise blocks drifting right: a picture that changes everywhere."""
    rng = np.random.default_rng(seed)
    base = np.kron(
        rng.integers(40, 256, (height // 4 + 4, width // 4 + count + 4, 3), dtype=np.uint8), np.ones((4, 4, 1),
                                                                                                     np.uint8))
    return np.stack([base[:height, 4 * t:4 * t + width] for t in range(count)])


def test_letterbox_and_pillarbox_bars_are_measured_as_fractions_of_the_side():
    frames = moving()
    frames[:, :8], frames[:, -6:] = 0, 16  # video black is 16
    found = detect_borders(frames)
    assert (found.top, found.bottom, found.left, found.right) == (8 / 64, 6 / 64, 0, 0)
    frames = moving()
    frames[:, :, :12] = 3
    assert detect_borders(frames).left == 12 / 96 and not detect_borders(frames).top


def test_a_dark_dim_drifting_scene_and_an_all_black_one_have_no_bars():
    rng = np.random.default_rng(1)
    dim = np.clip(rng.normal(28, 4, (8, 64, 96, 3)) + np.arange(8)[:, None, None, None] * 0.5, 0, 255)
    assert not detect_borders(dim.astype(np.uint8)).has_bars
    assert not detect_borders(np.zeros((8, 64, 96, 3), np.uint8)).has_bars  # a dark frame, not bars


def test_a_logo_on_a_moving_picture_is_an_overlay_and_a_still_picture_says_nothing():
    frames = moving()
    frames[:, 6:14, 6:14] = 255
    frames[:, 8:12, 8:12] = 0
    x0, y0, x1, y1 = detect_borders(frames).overlay
    assert 5 / 96 <= x0 <= 7 / 96 and 13 / 96 <= x1 <= 15 / 96 and 5 / 64 <= y0 <= 7 / 64 and 13 / 64 <= y1 <= 15 / 64
    still = np.repeat(frames[:1], 8, axis=0)
    assert detect_borders(still).overlay is None  # everything is still: a logo cannot be told from the scene


def test_the_crop_keeps_the_picture_inside_the_bars_and_cuts_the_logos_thinnest_edge_strip():
    found = Borders(top=0.125, bottom=0.125, overlay=(0.8, 0.3, 0.95, 0.45))
    assert found.crop_box(64, 96, overlays=False) == (8, 56, 0, 96)
    assert found.crop_box(64, 96) == (8, 56, 0, int(round(96 - 0.2 * 96)))  # the right strip: 20 % of the width
    assert Borders(overlay=(0.3, 0.3, 0.7, 0.7)).crop_box(64, 96) == (0, 64, 0, 96)  # too far in: left alone


def test_a_video_file_is_measured_from_frames_spread_over_it(tmp_path):
    frames = moving(count=24)
    frames[:, :10] = 0
    frames[:, -10:] = 0
    write_video(tmp_path / 'boxed.mp4', list(frames))
    found = video_borders(str(tmp_path / 'boxed.mp4'))
    assert found.top == found.bottom == pytest.approx(10 / 64, abs=1 / 64) and not found.left
