from mmaction.registry import HOOKS
from mmengine.hooks import EarlyStoppingHook


@HOOKS.register_module()
class PlateauStopHook(EarlyStoppingHook):
    """MMEngine's ``EarlyStoppingHook`` (stop training once ``monitor`` has not improved by ``min_delta``
    in ``patience`` validations in a row) for a config that is also tested and evaluated.

    MMEngine's hook checks at ``before_run`` that the training loop can stop, which builds the training
    loop -- and its dataset -- in every run of the config, ``tools/test.py`` included, and fails where there
    is none (a feature-extraction run). This one checks when training starts. Config::

        custom_hooks = [dict(type='PlateauStopHook', monitor='acc/top1', rule='greater', patience=3,
                             min_delta=0.01)]

    A validation improves on the best one when its score is at least ``best + min_delta``.
    """

    def before_run(self, runner) -> None:
        pass

    def before_train(self, runner) -> None:
        super().before_run(runner)
