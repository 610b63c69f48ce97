#!/usr/bin/env python
"""Frozen-feature evaluation (retrieval, linear probe) of a backbone:
python tools/eval_frozen.py CONFIG [BACKBONE] [...]

Also ``mmrot3d eval_frozen``; every option: ``--help`` (mmrot3d_harness/commands/eval_frozen.py).
"""
from mmrot3d_harness.commands.eval_frozen import main

if __name__ == '__main__':
    main()
