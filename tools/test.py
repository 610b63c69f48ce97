#!/usr/bin/env python
"""Test a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--dump FILE.pkl]
[--cfg-options K=V ...] [--launcher none|pytorch|slurm|mpi]`` -- MMAction2's flags; the logic is
``mmrot3d.engine.cli``."""
import mmrot3d  # noqa: F401  (fixes the pinned stack, registers our components)
from mmrot3d.engine.cli import test_main

if __name__ == '__main__':
    test_main()
