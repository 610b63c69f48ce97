#!/usr/bin/env python
"""Train with a config: ``python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
[--no-validate] [--auto-scale-lr] [--seed N] [--deterministic] [--cfg-options K=V ...]
[--launcher none|pytorch|slurm|mpi]`` -- MMAction2's flags; the logic is ``mmrot3d.engine.cli``."""
import mmrot3d  # noqa: F401  (fixes the pinned stack, registers our components)
from mmrot3d.engine.cli import train_main

if __name__ == '__main__':
    train_main()
