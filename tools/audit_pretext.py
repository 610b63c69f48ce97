#!/usr/bin/env python
"""Which cues does a rotation model use? Its accuracy on controls that each keep one cue:
python tools/audit_pretext.py CONFIG CHECKPOINT LIST --data-root DIR --out DIR

Also ``mmrot3d audit_pretext``; every option: ``--help`` (mmrot3d_harness/commands/audit_pretext.py).
"""
from mmrot3d_harness.commands.audit_pretext import main

if __name__ == '__main__':
    main()
