#!/usr/bin/env python
"""Record full checkpoints you trust: python tools/trust_checkpoint.py CHECKPOINT [...]

Also ``mmrot3d trust_checkpoint``; every option: ``--help`` (mmrot3d_harness/commands/trust_checkpoint.py).
"""
from mmrot3d_harness.commands.trust_checkpoint import main

if __name__ == '__main__':
    main()
