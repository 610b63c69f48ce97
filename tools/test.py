#!/usr/bin/env python
"""Test a checkpoint (MMAction2's tools/test.py flags): python tools/test.py CONFIG CHECKPOINT [...]

Also ``mmrot3d test``; every option: ``--help`` (mmrot3d_harness/commands/test.py).
"""
from mmrot3d_harness.commands.test import main

if __name__ == '__main__':
    main()
