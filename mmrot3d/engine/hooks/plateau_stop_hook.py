from mmaction.registry import HOOKS
from mmengine.hooks import EarlyStoppingHook


@HOOKS.register_module()
class PlateauStopHook(EarlyStoppingHook):
    """MMEngine's ``EarlyStoppingHook`` (stop training once ``monitor`` has not improved by ``min_delta``
    in ``patience`` validations in a row) for a config that is also tested and evaluated, and that never stops
    a run before ``min_iters``.

    A run from a random init can sit near chance for its first few hundred steps with its loss still falling;
    three validations without a gain there are a slow start, not a plateau. Before ``min_iters`` the
    validations are counted as usual but do not stop the run; the first one from ``min_iters`` on stops it if
    the count says so.

    MMEngine's hook checks at ``before_run`` that the training loop can stop, which builds the training
    loop -- and its dataset -- in every run of the config, ``tools/test.py`` included, and fails where there
    is none (a feature-extraction run). This one checks when training starts. Config::

        custom_hooks = [dict(type='PlateauStopHook', monitor='acc/top1', rule='greater', patience=3,
                             min_delta=0.01, min_iters=800)]

    A validation improves on the best one when its score is at least ``best + min_delta``.
    """

    def __init__(self, *args, min_iters: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.min_iters = min_iters

    def before_run(self, runner) -> None:
        pass

    def before_train(self, runner) -> None:
        super().before_run(runner)

    def after_val_epoch(self, runner, metrics) -> None:
        if runner.iter >= self.min_iters or self.monitor not in metrics:
            super().after_val_epoch(runner, metrics)
        else:
            self._check_stop_condition(metrics[self.monitor])  # counts the validation, never stops
