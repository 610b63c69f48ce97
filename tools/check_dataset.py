#!/usr/bin/env python
"""Preflight a video list before a long run: ``python tools/check_dataset.py LIST --data-prefix DIR
[--workers N] [--clip-len 16 --frame-interval 2] [--num-classes K] [--write-clean OUT]``.

Prints every bad entry as ``LIST:LINE: path: reason`` and a summary; exit status 1 if any entry is bad.
The logic is ``mmrot3d.datasets.checks``, the same checks RobustVideoDataset uses during training."""
import sys

from mmrot3d.datasets.checks import check_dataset_main

if __name__ == '__main__':
    sys.exit(check_dataset_main())
