#!/usr/bin/env python
"""Export a pretraining run's backbone for fine-tuning, as a plain tensor file with its origin:
``python tools/export_backbone.py WORK_DIR_OR_CHECKPOINT --out backbone.pth``."""
import mmrot3d  # noqa: F401
from mmrot3d.engine.cli import export_backbone_main

if __name__ == '__main__':
    export_backbone_main()
