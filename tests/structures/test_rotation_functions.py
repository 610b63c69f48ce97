"""The pure rotation functions under every rotation of mmrot3d (``mmrot3d/structures/rotation.py``)."""
import numpy as np
import pytest
import torch

from mmrot3d.structures.rotation import (DEFAULT_ANGLES, all_rotations, angles_to_turns, check_square, rot90_array,
                                         rot90_frames)


def test_angles_become_quarter_turns_in_their_order():
    assert DEFAULT_ANGLES == (0, 90, 180, 270)
    assert angles_to_turns(DEFAULT_ANGLES) == (0, 1, 2, 3)
    turns = angles_to_turns(iter([270, np.int64(90)]))  # any iterable; numpy integers too
    assert turns == (3, 1) and all(type(k) is int for k in turns)


@pytest.mark.parametrize('angles, message', [
    ((), r'^angles is empty: give at least one rotation, e.g. angles=\(0, 90, 180, 270\)$'),
    ((0, True), r'^angles=\(0, True\): True is not one of 0, 90, 180, 270 \(only exact quarter turns keep the '
     r'pixels free of interpolation cues\)$'),
    ((90.0, ), r'^angles=\(90.0,\): 90.0 is not one of'),
    (('90', ), r"^angles=\('90',\): '90' is not one of"),
    ((0, 45), r'^angles=\(0, 45\): 45 is not one of'),
    ((-90, ), r'^angles=\(-90,\): -90 is not one of'),
    ((360, ), r'^angles=\(360,\): 360 is not one of'),
    ((90, 0, 90), r'^angles=\(90, 0, 90\) lists an angle twice$'),
])
def test_anything_but_distinct_quarter_turns_is_refused(angles, message):
    with pytest.raises(ValueError, match=message):
        angles_to_turns(angles)


def test_quarter_turns_need_square_frames_half_turns_do_not():
    check_square(8, 8, (0, 1, 2, 3), 'here')
    check_square(8, 12, (0, 2), 'here')
    with pytest.raises(
            ValueError,
            match=r'^here: frames are 8x12 \(HxW\) but rotations by 90/270 degrees need '
            r'square frames; crop to a square first or use angles=\(0, 180\)$'):
        check_square(8, 12, (0, 3), 'here')


def test_frames_and_arrays_turn_counter_clockwise_into_contiguous_copies():
    frame = np.arange(2 * 3 * 2).reshape(2, 3, 2)  # (H, W, C), not square: the axes show
    (turned, ) = rot90_frames([frame], 1)
    # counter-clockwise: the last column becomes the first row
    np.testing.assert_array_equal(turned[0], frame[:, -1])
    assert turned.shape == (3, 2, 2) and turned.flags['C_CONTIGUOUS'] and turned.base is None
    clip = np.arange(2 * 2 * 3).reshape(2, 2, 3)  # (C, H, W)
    turned = rot90_array(clip, 3)
    np.testing.assert_array_equal(turned, np.rot90(clip, -1, axes=(1, 2)))
    assert turned.shape == (2, 3, 2) and turned.flags['C_CONTIGUOUS']


def test_all_rotations_lie_rotation_major_along_the_view_axis():
    clips = torch.arange(2 * 3 * 1 * 2 * 2, dtype=torch.float32).view(2, 3, 1, 2, 2)  # (N, V, C, H, W)
    out = all_rotations(clips, (0, 1, 3))
    assert out.shape == (2, 9, 1, 2, 2) and out.dtype == clips.dtype
    for r, k in enumerate((0, 1, 3)):
        torch.testing.assert_close(out[:, 3 * r:3 * r + 3], torch.rot90(clips, k, dims=(-2, -1)), rtol=0, atol=0)
