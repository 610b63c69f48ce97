import random

import numpy as np
import torch
from mmaction.registry import HOOKS
from mmengine.dist import get_rank
from mmengine.hooks import Hook


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Reseed Python, NumPy and torch at the start of every training epoch from (seed, epoch, rank).

    MMEngine's ``--resume`` restores weights, optimizer and schedule but not the random streams: a run
    resumed after epoch ``e`` draws other augmentations and dropout masks than the uninterrupted run,
    and ends with other numbers. With the streams a function of the epoch, a resumed run repeats the
    uninterrupted one exactly (on CPU; with ``num_workers=0`` or non-persistent loader workers, which
    MMEngine seeds per epoch from the run's seed). Config::

        default_hooks = dict(epoch_seed=dict(type='EpochSeedHook'))

    Args:
        seed: the base seed (default: the run's ``randomness.seed``, else 0).
    """

    priority = 'VERY_HIGH'  # before any hook that draws random numbers at the start of an epoch

    def __init__(self, seed=None) -> None:
        self.seed = seed

    def before_train_epoch(self, runner) -> None:
        base = self.seed if self.seed is not None else (runner.seed if runner.seed is not None else 0)
        seed = int(np.random.SeedSequence([int(base), runner.epoch, get_rank()]).generate_state(1)[0])
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
