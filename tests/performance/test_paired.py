"""The per-repeat ratio statistics of performance/paired.py (pure functions: fast, exact)."""
import pytest

from performance import paired


def test_median_ci_uses_binomial_order_statistics():
    assert paired.median_ci([1.0] * 5) is None  # 2 * P(X = 0) = 1/16 > 5 %: no 95 % interval yet
    assert paired.median_ci(list(range(6))) == (0, 5)  # n = 6: min and max (coverage 96.9 %)
    assert paired.median_ci(list(range(10))) == (1, 8)  # n = 10: 2nd and 9th (coverage 97.9 %)
    assert paired.median_ci(list(range(20))) == (5, 14)  # n = 20: 6th and 15th (coverage 95.9 %)


def test_ratio_stats_reports_the_half_width_relative_to_the_median():
    stats = paired.ratio_stats([0.9, 0.95, 1.0, 1.0, 1.05, 1.2])
    assert stats['median'] == 1.0 and stats['ci95'] == [0.9, 1.2]
    assert stats['ci_half_width'] == pytest.approx(0.2)
    assert stats['min'] == 0.9 and stats['max'] == 1.2 and stats['repeats'] == 6


def test_paired_repeats_stops_once_the_interval_is_narrow(monkeypatch):
    # deterministic "timings": the variant always takes 0.5 s of wall time per 1 s of the baseline's
    clock = {'t': 0.0}
    monkeypatch.setattr(paired.time, 'perf_counter', lambda: clock['t'])
    monkeypatch.setattr(paired.time, 'process_time', lambda: clock['t'])

    def spend(seconds):
        return lambda: clock.__setitem__('t', clock['t'] + seconds)

    run = paired.paired_repeats({
        'base': spend(1.0),
        'fast': spend(0.5)
    },
                                'base',
                                'fast',
                                min_repeats=6,
                                max_repeats=40,
                                tolerance=0.03)
    assert len(run['seconds']['base']) == 6 and run['holds']
    assert run['ratios']['wall']['fast']['median'] == pytest.approx(2.0)
    assert run['ratios']['cpu']['base']['median'] == pytest.approx(1.0)


def test_chance_median_below_counts_draws_whose_majority_is_below():
    assert paired.chance_median_below([0.9, 1.0, 1.1], 0.97) is None  # fewer repeats than a draw needs
    assert paired.chance_median_below([0.9, 1.0, 1.1, 1.2, 1.3], 0.97) == 0.0  # one value below: never a majority
    assert paired.chance_median_below([0.9, 0.9, 0.9, 1.1, 1.1], 0.97) == 1.0  # the only draw has 3 below
    # 6 values, 3 below: draws of 5 leave out one value; 3 of the 6 draws keep all three below
    assert paired.chance_median_below([0.9, 0.9, 0.9, 1.1, 1.1, 1.1], 0.97) == pytest.approx(0.5)
