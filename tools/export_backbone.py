#!/usr/bin/env python
"""Export a pretraining run's backbone as a plain tensor file: python tools/export_backbone.py WORK_DIR --out FILE

Also ``mmrot3d export_backbone``; every option: ``--help`` (mmrot3d_harness/commands/export_backbone.py).
"""
from mmrot3d_harness.commands.export_backbone import main

if __name__ == '__main__':
    main()
