#!/usr/bin/env python
"""The demo (the demo): python tools/demo.py [benchmark options]; bash tools/run_demo.sh sets up .venv/ first

Also ``mmrot3d demo``; every option: ``--help`` (mmrot3d_harness/commands/demo.py).
"""
from mmrot3d_harness.commands.demo import main

if __name__ == '__main__':
    main()
