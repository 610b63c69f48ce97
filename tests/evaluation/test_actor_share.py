"""The actor-share metric: known answers."""
import pytest
import torch

from mmrot3d.evaluation.functional import actor_share


def _masks():
    masks = torch.zeros(2, 3, 10, 10, dtype=torch.bool)
    masks[0, :, 2:5, 3:7] = True  # 12 of 100 pixels
    masks[1, :, 0:10, 0:3] = True  # 30 of 100 pixels
    return masks


def test_a_map_equal_to_the_mask_has_share_one():
    masks = _masks()
    result = actor_share(masks.float(), masks)
    assert result['actor_share'] == pytest.approx(1.0)
    assert result['area_share'] == pytest.approx((0.12 + 0.30) / 2)
    assert result['lift'] == pytest.approx(1 / 0.21)
    assert result['frames'] == 6 and result['frames_left_out'] == 0


def test_a_uniform_map_has_the_actors_area_share():
    masks = _masks()
    result = actor_share(torch.full(masks.shape, 0.7), masks)
    assert result['actor_share'] == pytest.approx(result['area_share']) == pytest.approx(0.21)
    assert result['lift'] == pytest.approx(1.0)


def test_a_map_off_the_actor_has_share_zero_and_empty_frames_are_left_out():
    masks = _masks()
    maps = (~masks).float()
    maps[1, 0] = 0  # no mass in this frame
    result = actor_share(maps, masks)
    assert result['actor_share'] == 0.0 and result['frames'] == 5 and result['frames_left_out'] == 1


def test_bad_input_is_named():
    masks = _masks()
    with pytest.raises(ValueError, match='one shape'):
        actor_share(masks.float()[..., :5], masks)
    with pytest.raises(ValueError, match='non-negative'):
        actor_share(-masks.float(), masks)
