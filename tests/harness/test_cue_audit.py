"""The cue audit: its numbers from per-clip hits (intervals, survival, per angle), and a whole audit of a rotation
checkpoint on real video files."""
import numpy as np
import pytest

from mmrot3d_harness.cue_audit import reading_lines, summarise


def hits(rates, videos=200, seed=0):
    """``(videos, 4)`` bool with each rotation's share of hits given by ``rates``."""
    rng = np.random.default_rng(seed)
    return np.stack([rng.random(videos) < r for r in rates], axis=1)


def test_accuracy_per_angle_interval_and_the_share_above_chance_that_survives():
    found = summarise(
        dict(clips=hits([1.0, 1.0, 0.9, 0.9]), static=hits([0.25] * 4, seed=1)), (0, 90, 180, 270),
        bootstrap=500,
        seed=0)
    clips, static = found['controls']['clips'], found['controls']['static']
    assert clips['top1'] == pytest.approx(0.95, abs=0.02) and clips['per_angle']['0deg'] == 1.0
    assert clips['ci95'][0] <= clips['top1'] <= clips['ci95'][1] and clips['ci95'][1] - clips['ci95'][0] < 0.06
    assert static['survives'] == pytest.approx((static['top1'] - 0.25) / (clips['top1'] - 0.25))
    assert abs(static['survives']) < 0.15 and clips['survives'] is None and found['learnt']
    again = summarise(dict(clips=hits([1.0, 1.0, 0.9, 0.9])), (0, 90, 180, 270), bootstrap=500, seed=0)
    assert again['controls']['clips']['ci95'] == clips['ci95']  # the same resamples: reproducible
    assert reading_lines(found)[0].startswith('static: 0% of the accuracy above chance survives without motion')


def test_a_pretext_at_chance_is_not_read_control_by_control():
    found = summarise(dict(clips=hits([0.25] * 4), static=hits([0.25] * 4, seed=2)), (0, 90, 180, 270), 100, 0)
    assert not found['learnt'] and found['controls']['static']['survives'] is None
    assert reading_lines(found) == [
        f'the pretext is not learnt ({found["controls"]["clips"]["top1"]:.1%} on the '
        'clips, chance 25%): no cue to tell apart'
    ]
