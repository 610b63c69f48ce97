"""Ratios that hold: per-repeat ratios of variants timed back to back, repeated until the median's
confidence interval is narrow enough.

One repeat runs every variant once, one after the other (the order rotates between repeats), and
gives one ratio per variant: ``baseline seconds / variant seconds`` (> 1: the variant is faster; with
equal work per call this is the throughput ratio). Load from other jobs that changes over seconds hits
both halves of a pair alike, so the per-repeat ratios scatter far less than the times themselves.

The spread reported is the distribution-free 95 % confidence interval of the median ratio (order
statistics, binomial ranks): ``ci_half_width`` = the larger distance of its ends from the median,
relative to the median. It shrinks with more repeats, unlike the interquartile range of the ratios
(``q1``/``q3``), which describes the noise of one repeat and is reported beside it.
"""
import math
import statistics
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .timing import log, sync


def median_ci(values: Sequence[float], confidence: float = 0.95) -> Optional[Tuple[float, float]]:
    """Distribution-free confidence interval of the median: ``(x_(l), x_(n+1-l))`` with the largest
    rank ``l`` whose coverage ``1 - 2 P(Binom(n, 1/2) <= l - 1)`` is at least ``confidence``.
    ``None`` when ``n`` is too small for any interval to reach it (n < 6 at 95 %)."""
    xs, n = sorted(values), len(values)
    alpha, cdf, rank = 1 - confidence, 0.0, 0
    for k in range(n // 2 + 1):
        cdf += math.comb(n, k) / 2**n
        if 2 * cdf > alpha:
            break
        rank = k + 1
    return (xs[rank - 1], xs[n - rank]) if rank else None


def ratio_stats(ratios: Sequence[float]) -> Dict:
    """Median, 95 % CI of the median, its relative half width, quartiles and range of ``ratios``."""
    med = statistics.median(ratios)
    ci = median_ci(ratios)
    q = statistics.quantiles(ratios, n=4) if len(ratios) >= 2 else [med, med, med]
    half = max(med - ci[0], ci[1] - med) / med if ci else None
    return dict(
        median=med,
        ci95=list(ci) if ci else None,
        ci_half_width=half,
        q1=q[0],
        q3=q[2],
        min=min(ratios),
        max=max(ratios),
        repeats=len(ratios),
        ratios=list(ratios))


def chance_median_below(ratios: Sequence[float], threshold: float, k: int = 5) -> Optional[float]:
    """Probability that the median of ``k`` (odd) of these repeats, drawn without replacement, is below
    ``threshold``: how often a ``k``-repeat measurement with this noise would misread (hypergeometric).
    ``None`` with fewer than ``k`` repeats."""
    n, below = len(ratios), sum(r < threshold for r in ratios)
    if n < k:
        return None
    need = k // 2 + 1
    return sum(math.comb(below, j) * math.comb(n - below, k - j) for j in range(need, k + 1)) / math.comb(n, k)


def paired_repeats(variants: Dict[str, Callable[[], None]],
                   baseline: str,
                   key: str,
                   *,
                   min_repeats: int = 8,
                   max_repeats: int = 40,
                   tolerance: float = 0.03,
                   budget_s: float = float('inf'),
                   use_cpu: bool = False,
                   label: str = '') -> Dict:
    """Repeat all ``variants`` back to back until the 95 % CI of ``key``'s median ratio against
    ``baseline`` lies within ``tolerance`` of it (after ``min_repeats``), ``max_repeats`` are done, or
    ``budget_s`` of wall time is spent.

    ``use_cpu``: decide on the ratio of this process's CPU time instead of wall time (a CPU machine
    shared with other jobs: CPU time is not counted while the process waits for a core). Both are
    reported either way. Returns per-variant seconds, per-variant ratio statistics (``wall``, ``cpu``)
    and ``holds``: whether the decisive CI reached ``tolerance``.
    """
    names = list(variants)
    wall: Dict[str, List[float]] = {n: [] for n in names}
    cpu: Dict[str, List[float]] = {n: [] for n in names}
    start = time.perf_counter()
    stats: Dict = {}
    for r in range(max_repeats):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            sync()
            t0, c0 = time.perf_counter(), time.process_time()
            variants[name]()
            sync()
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
        stats = {
            clock: {
                n: ratio_stats([b / v for b, v in zip(times[baseline], times[n])])
                for n in names
            }
            for clock, times in (('wall', wall), ('cpu', cpu))
        }
        decisive = stats['cpu' if use_cpu else 'wall'][key]
        half = decisive['ci_half_width']
        elapsed = time.perf_counter() - start
        log(f'  [{label}] repeat {r + 1}: {key}/{baseline} ratio {decisive["ratios"][-1]:.3f}, median '
            f'{decisive["median"]:.3f} +-{"?" if half is None else f"{100 * half:.1f}"} % (95 % CI), '
            f'{elapsed:.0f} s, at most {min(budget_s - elapsed, elapsed / (r + 1) * (max_repeats - r - 1)):.0f} s more')
        if r + 1 >= min_repeats and half is not None and half <= tolerance:
            break
        if elapsed + elapsed / (r + 1) > budget_s:
            log(f'  [{label}] time budget {budget_s:.0f} s reached after {r + 1} repeats')
            break
    decisive = stats['cpu' if use_cpu else 'wall'][key]
    return dict(
        seconds=wall,
        cpu_seconds=cpu,
        ratios=stats,
        clock='cpu' if use_cpu else 'wall',
        tolerance=tolerance,
        holds=decisive['ci_half_width'] is not None and decisive['ci_half_width'] <= tolerance)
