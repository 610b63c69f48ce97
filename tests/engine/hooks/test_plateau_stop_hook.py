"""PlateauStopHook: MMEngine's patience rule, but never before ``min_iters``."""
from types import SimpleNamespace

import pytest
from mmengine.hooks import EarlyStoppingHook

from mmrot3d.engine.hooks import PlateauStopHook


def validate(hook, curve):
    """Feed ``[(iter, top1), ...]`` to the hook as the validations of one run; the iteration it stops at."""
    runner = SimpleNamespace(train_loop=SimpleNamespace(stop_training=False), logger=SimpleNamespace(info=print))
    for it, top1 in curve:
        runner.iter = it
        hook.after_val_epoch(runner, {'acc/top1': top1})
        if runner.train_loop.stop_training:
            return it
    return None


def new_hook(min_iters=0):
    return PlateauStopHook(monitor='acc/top1', rule='greater', patience=3, min_delta=0.01, min_iters=min_iters)


def test_a_slow_start_is_not_a_plateau():
    # a run from scratch near chance (8.3 %) for its first validations, then learning
    start = [(100, .146), (200, .062), (300, .073), (400, .115), (500, .30), (600, .45)]
    assert validate(new_hook(), start) == 400  # MMEngine's rule alone stops it at chance
    assert validate(new_hook(min_iters=800), start) is None


def test_from_min_iters_on_the_count_kept_before_it_stops_the_run():
    flat = [(100, .5), (200, .5), (300, .5), (400, .5), (500, .5), (600, .5), (700, .5), (800, .5), (900, .5)]
    assert validate(new_hook(min_iters=800), flat) == 800
    rising = [(i * 100, .1 * i) for i in range(1, 8)] + [(800, .7), (900, .7), (1000, .7), (1100, .7)]
    assert validate(new_hook(min_iters=800), rising) == 1000  # a plateau after 800 stops as before


def test_without_min_iters_it_stops_where_mmengines_hook_stops():
    """Positional arguments as MMEngine's; from the first validation on, at iteration 0 too (a threshold met)."""
    flat = [(100, .5), (200, .5), (300, .5), (400, .5), (500, .5)]
    at_once = [(0, .95), (100, .96)]
    for curve, stop in ((flat, 400), (at_once, 0)):
        for make in (PlateauStopHook, EarlyStoppingHook):
            assert validate(make('acc/top1', 'greater', 0.01, patience=3, stopping_threshold=0.9), curve) == stop


def test_the_training_loop_is_checked_when_training_starts_not_in_every_run():
    """``tools/test.py`` and feature extraction build no training loop: nothing to check there."""

    class NoTrainingLoop:

        @property
        def train_loop(self):
            raise RuntimeError('this run has no training loop')

    hook = new_hook()
    hook.before_run(NoTrainingLoop())
    hook.before_train(SimpleNamespace(train_loop=SimpleNamespace(stop_training=False)))
    with pytest.raises(AssertionError, match='stop_training'):
        hook.before_train(SimpleNamespace(train_loop=SimpleNamespace()))
