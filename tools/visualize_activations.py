#!/usr/bin/env python
"""Activation maps or Grad-CAM over videos: python tools/visualize_activations.py CONFIG CHECKPOINT VIDEO ... --out DIR

Also ``mmrot3d visualize_activations``; every option: ``--help`` (mmrot3d_harness/commands/visualize_activations.py).
"""
from mmrot3d_harness.commands.visualize_activations import main

if __name__ == '__main__':
    main()
