"""The demo's verdict (``check_bar``) on hand-made results: each threshold just above and just below,
the arms swapped, one check failing at a time. The tables are built by the same aggregation the benchmark
runs on its jobs' results, so they have ``results.json``'s shape."""
import pytest

from mmrot3d_harness.benchmark.aggregate import finetune_table, frozen_table, pretraining_table
from mmrot3d_harness.benchmark.synthetic_presets import check_bar

# The bar's numbers, written out rather than imported: a changed threshold must fail here.
SCRATCH_TRAINED = 0.35  # fine-tuned top-1 of the scratch arm
FINETUNE_GAIN = 0.05  # 3DRotNet over scratch, fine-tuned top-1
FROZEN_GAIN = 0.10  # 3DRotNet over the random init, linear probe and R@1
PRETEXT_LEARNT = 0.80  # rotation top-1, held-out clips
ACTOR_FREE_MAX = 0.35  # rotation top-1, their actor-free twins

EPS = 0.002  # 0.2 points: "just above" / "just below"
CHECKS = ('scratch_trained_35pct', 'finetune_gain_5pts', 'linear_probe_gain_10pts', 'retrieval_r1_gain_10pts',
          'pretext_held_out_80pct', 'pretext_actor_free_35pct')
# Every number comfortably on the good side of its threshold.
GOOD = dict(
    scratch=dict(top1=0.50, probe=0.30, r1=0.25),
    rotnet3d=dict(top1=0.70, probe=0.60, r1=0.55),
    held_out=0.95,
    actor_free=0.25)


def job_results(numbers, splits=(1, 2), seeds=(0, 1), spread=0.02):
    """The jobs' results a benchmark run would collect for ``numbers``: fine-tuned top-1 per split and seed
    (spread around the given mean), probe and R@1 per split, the pretraining's held-out validation and its
    actor-free twin's pretext test."""
    results = {}
    for arm in ('scratch', 'rotnet3d'):
        n = numbers[arm]
        offsets = [spread * (i - (len(splits) * len(seeds) - 1) / 2) for i in range(len(splits) * len(seeds))]
        for (split, seed), off in zip([(s, k) for s in splits for k in seeds], offsets):
            results[f'test/synthetic/{arm}/full/split{split}/seed{seed}'] = {
                'acc/top1': n['top1'] + off,
                'acc/top5': 1.0,
                'acc/mean1': n['top1']
            }
        results[f'frozen/synthetic/{arm}'] = {
            f'split{s}': dict(linear_probe_top1=n['probe'] + d, retrieval_R_at_1=n['r1'] - d)
            for s, d in zip(splits, (-spread, spread))
        }
    results['pretrain/rotnet3d'] = dict(val={'rotation/top1': numbers['held_out']}, job=dict(units=10))
    if numbers['actor_free'] is not None:
        results['pretext/rotnet3d'] = {'rotation/top1': numbers['actor_free'], 'job': dict(units=25)}
    return results


def bar_of(numbers, **arms):
    results = job_results(numbers)
    return check_bar(
        finetune_table(results)['synthetic'],
        frozen_table(results)['synthetic'], pretraining_table(results), **arms)


def numbers_with(**changes):
    """GOOD with some numbers replaced: ``scratch_top1=...``, ``held_out=...``."""
    numbers = {k: dict(v) if isinstance(v, dict) else v for k, v in GOOD.items()}
    for key, value in changes.items():
        arm, _, metric = key.partition('_')
        if arm in ('scratch', 'rotnet3d'):
            numbers[arm][metric] = value
        else:
            numbers[key] = value
    return numbers


def failing(bar):
    return {name for name, ok in bar['checks'].items() if not ok}


def test_good_results_meet_the_bar_and_report_their_numbers():
    bar = bar_of(GOOD)
    assert set(bar['checks']) == set(CHECKS) and bar['met'] is True and not failing(bar)
    assert bar['scratch_top1'] == pytest.approx(0.50)  # mean over 2 splits x 2 seeds
    assert bar['finetune_gain'] == pytest.approx(0.20)
    assert bar['linear_probe_gain'] == pytest.approx(0.30) and bar['retrieval_r1_gain'] == pytest.approx(0.30)
    assert bar['pretext_held_out'] == 0.95 and bar['pretext_actor_free'] == 0.25


# (check, numbers just on its good side, numbers just on its bad side); every other number as in GOOD.
MARGINS = [
    ('scratch_trained_35pct', dict(scratch_top1=SCRATCH_TRAINED + EPS), dict(scratch_top1=SCRATCH_TRAINED - EPS)),
    ('finetune_gain_5pts', dict(rotnet3d_top1=0.50 + FINETUNE_GAIN + EPS),
     dict(rotnet3d_top1=0.50 + FINETUNE_GAIN - EPS)),
    ('linear_probe_gain_10pts', dict(rotnet3d_probe=0.30 + FROZEN_GAIN + EPS),
     dict(rotnet3d_probe=0.30 + FROZEN_GAIN - EPS)),
    ('retrieval_r1_gain_10pts', dict(rotnet3d_r1=0.25 + FROZEN_GAIN + EPS), dict(rotnet3d_r1=0.25 + FROZEN_GAIN - EPS)),
    ('pretext_held_out_80pct', dict(held_out=PRETEXT_LEARNT + EPS), dict(held_out=PRETEXT_LEARNT - EPS)),
    ('pretext_actor_free_35pct', dict(actor_free=ACTOR_FREE_MAX - EPS), dict(actor_free=ACTOR_FREE_MAX + EPS)),
]


@pytest.mark.parametrize('check, good, bad', MARGINS, ids=[m[0] for m in MARGINS])
def test_each_threshold_just_above_and_just_below(check, good, bad):
    """One number moved to just inside, then just outside its threshold: only its check changes, and the
    verdict with it."""
    passed = bar_of(numbers_with(**good))
    assert not failing(passed) and passed['met'] is True
    stopped = bar_of(numbers_with(**bad))
    assert failing(stopped) == {check} and stopped['met'] is False


def test_every_number_at_its_threshold_passes():
    """The bar says "at least" (at most, for the actor-free pretext): a result exactly at a threshold meets it,
    also where a gain comes out of a float subtraction a hair under the threshold (0.45 - 0.40 < 0.05)."""
    at = dict(
        scratch=dict(top1=0.40, probe=0.40, r1=0.40),
        rotnet3d=dict(top1=0.40 + FINETUNE_GAIN, probe=0.40 + FROZEN_GAIN, r1=0.40 + FROZEN_GAIN),
        held_out=PRETEXT_LEARNT,
        actor_free=ACTOR_FREE_MAX)
    assert at['rotnet3d']['top1'] - at['scratch']['top1'] < FINETUNE_GAIN  # what the floats give
    results = job_results(at, splits=(1, ), seeds=(0, ))
    bar = check_bar(
        finetune_table(results)['synthetic'],
        frozen_table(results)['synthetic'], pretraining_table(results))
    assert not failing(bar) and bar['met'] is True
    results = job_results(numbers_with(scratch_top1=SCRATCH_TRAINED), splits=(1, ), seeds=(0, ))
    assert check_bar(
        finetune_table(results)['synthetic'],
        frozen_table(results)['synthetic'], pretraining_table(results))['checks']['scratch_trained_35pct']


@pytest.mark.parametrize('check', CHECKS)
def test_one_check_failing_fails_the_bar(check):
    bad = {m[0]: m[2] for m in MARGINS}[check]
    bar = bar_of(numbers_with(**bad))
    assert bar['checks'] == {name: name != check for name in CHECKS}
    assert bar['met'] is False


def test_the_baseline_is_the_scratch_arm():
    """The arms swapped (the pretrained arm behind scratch by as much as it was ahead): every gain check fails,
    and "scratch trained" judges the scratch arm, not the better one."""
    swapped = numbers_with()
    swapped['scratch'], swapped['rotnet3d'] = swapped['rotnet3d'], swapped['scratch']
    bar = bar_of(swapped)
    assert failing(bar) == {'finetune_gain_5pts', 'linear_probe_gain_10pts', 'retrieval_r1_gain_10pts'}
    assert bar['finetune_gain'] == pytest.approx(-0.20) and bar['met'] is False
    # Scratch below 35 % with the pretrained arm far above it: only the scratch check fails.
    weak = bar_of(numbers_with(scratch_top1=SCRATCH_TRAINED - EPS, rotnet3d_top1=0.90))
    assert failing(weak) == {'scratch_trained_35pct'} and weak['scratch_top1'] == pytest.approx(SCRATCH_TRAINED - EPS)


def test_a_pretext_never_measured_does_not_pass():
    """Without the actor-free test (or the held-out validation) the pretext checks fail; they do not default to
    passing."""
    bar = bar_of(numbers_with(actor_free=None))
    assert failing(bar) == {'pretext_actor_free_35pct'} and bar['met'] is False
    assert bar['pretext_actor_free'] == 1.0  # reported as the worst it could be: every actor-free clip read
    results = job_results(GOOD)
    results['pretrain/rotnet3d'].pop('val')
    bar = check_bar(
        finetune_table(results)['synthetic'],
        frozen_table(results)['synthetic'], pretraining_table(results))
    assert failing(bar) == {'pretext_held_out_80pct'} and bar['pretext_held_out'] == 0.0


def test_the_allowance_for_float_error_is_a_billionth_and_inclusive():
    """A result 1e-9 under its threshold meets it; 2e-9 under, it does not."""
    for under, met in ((1e-9, True), (2e-9, False)):
        results = job_results(numbers_with(scratch_top1=SCRATCH_TRAINED - under), splits=(1, ), seeds=(0, ))
        bar = check_bar(
            finetune_table(results)['synthetic'],
            frozen_table(results)['synthetic'], pretraining_table(results))
        assert bar['scratch_top1'] == SCRATCH_TRAINED - under and bar['checks']['scratch_trained_35pct'] is met
