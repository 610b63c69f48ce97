#!/usr/bin/env python
"""Train with a config (MMAction2's tools/train.py flags): python tools/train.py CONFIG [...]

Also ``mmrot3d train``; every option: ``--help`` (mmrot3d_harness/commands/train.py).
"""
from mmrot3d_harness.commands.train import main

if __name__ == '__main__':
    main()
