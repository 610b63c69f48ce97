#!/usr/bin/env python
"""Features of a frozen backbone, one file per video: python tools/extract_features.py CONFIG [BACKBONE] LIST --out DIR

Also ``mmrot3d extract_features``; every option: ``--help`` (mmrot3d_harness/commands/extract_features.py).
"""
from mmrot3d_harness.commands.extract_features import main

if __name__ == '__main__':
    main()
