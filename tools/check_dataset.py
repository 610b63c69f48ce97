#!/usr/bin/env python
"""Preflight a video list before a long run: python tools/check_dataset.py LIST --data-prefix DIR

Also ``mmrot3d check_dataset``; every option: ``--help`` (mmrot3d_harness/commands/check_dataset.py).
"""
from mmrot3d_harness.commands.check_dataset import main

if __name__ == '__main__':
    main()
