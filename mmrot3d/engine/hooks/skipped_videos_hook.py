"""End-of-epoch report of skipped bad videos, and the bad-fraction stop, in the main process."""
import logging

import torch
from mmaction.registry import HOOKS
from mmengine.dist import all_reduce, is_distributed
from mmengine.hooks import Hook
from mmengine.logging import print_log

from ...datasets.robust_video_dataset import RobustVideoDataset


def robust_datasets(dataset):
    """Every RobustVideoDataset in ``dataset``, looking through Repeat/Concat/ClassBalanced wrappers."""
    if isinstance(dataset, RobustVideoDataset):
        yield dataset
    inner = getattr(dataset, 'dataset', None)
    if inner is not None and inner is not dataset:
        yield from robust_datasets(inner)
    for inner in getattr(dataset, 'datasets', None) or ():
        yield from robust_datasets(inner)


@HOOKS.register_module()
class SkippedVideosHook(Hook):
    """Report the samples RobustVideoDataset skipped, once per epoch, and stop when too many are bad.

    The dataset's counters live in shared memory that all DataLoader workers of a rank update; this
    hook reads (and resets) them in the main process, sums them over ranks, and raises the dataset's
    one-line ``TooManyBadVideosError`` here, so it is not buried in a worker's traceback. It checks after
    every iteration: a test list that allows no bad video (``max_bad_fraction=0``) stops at the batch a
    worker met one in, before any metric is computed.
    """

    priority = 'LOW'

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        self._check(runner.train_dataloader.dataset)

    def after_val_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        self._check(runner.val_loop.dataloader.dataset)

    def after_test_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        self._check(runner.test_loop.dataloader.dataset)

    @staticmethod
    def _check(dataset) -> None:
        for data in robust_datasets(dataset):
            data.check_bad_fraction()

    def after_train_epoch(self, runner) -> None:
        self._report(runner.train_dataloader.dataset, f'Epoch(train) [{runner.epoch + 1}]')

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._report(runner.val_loop.dataloader.dataset, f'Epoch(val) [{runner.epoch}]')

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._report(runner.test_loop.dataloader.dataset, 'Epoch(test)')

    @staticmethod
    def _report(dataset, when: str) -> None:
        for data in robust_datasets(dataset):
            counts = torch.tensor(data.bad_counts(reset=True), dtype=torch.float64)
            if is_distributed():
                # ranks see disjoint samples each epoch; a file bad on two ranks counts twice (an upper bound)
                all_reduce(counts, op='sum')
                counts[3] /= torch.distributed.get_world_size()
            files, skipped, bad, total = (int(c) for c in counts)
            level = logging.WARNING if files else logging.INFO
            print_log(
                f'{when}: skipped {files} bad video files ({skipped} samples substituted); {bad} of {total} '
                f'entries of {data.ann_file} known bad so far (max_bad_fraction={data.max_bad_fraction:.1%})',
                logger='current',
                level=level)
            data.check_bad_fraction()
