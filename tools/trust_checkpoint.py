#!/usr/bin/env python
"""Mark full checkpoints you trust (e.g. copied from your own runs elsewhere) as loadable:
``python tools/trust_checkpoint.py PATH [PATH ...]``. Unpickling a file can run code."""
import mmrot3d  # noqa: F401
from mmrot3d.engine.cli import trust_checkpoint_main

if __name__ == '__main__':
    trust_checkpoint_main()
