#!/usr/bin/env python
"""Benchmark pretrained backbones (UCF101, HMDB51, the synthetic presets):
python tools/benchmark.py DATASET ... [--backbone NAME=PATH]

Also ``mmrot3d benchmark``; every option: ``--help`` (mmrot3d_harness/commands/benchmark.py).
"""
from mmrot3d_harness.commands.benchmark import main

if __name__ == '__main__':
    main()
