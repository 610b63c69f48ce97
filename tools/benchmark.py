#!/usr/bin/env python
"""Benchmark pretrained backbones on UCF101 / HMDB51 (or the synthetic presets), the paper's protocol:

    python tools/benchmark.py ucf101 hmdb51 --backbone rotnet3d=work_dirs/rotnet3d_kinetics/backbone.pth
    python tools/benchmark.py synthetic          # the main job (bash tools/run_demo.sh)

Every option: ``python tools/benchmark.py --help`` (``tools/benchmark/cli.py``); the jobs, their checks and
the results: the package ``tools/benchmark/`` beside this script.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the folder holding tools/ (checkout or install)

if __name__ == '__main__':
    # the package tools/benchmark/ (a package wins over this script of the same name)
    from tools.benchmark.devices import check_gpus_through_nvml
    check_gpus_through_nvml()  # this process only starts jobs: before torch is imported
    from tools.benchmark.cli import main
    main()
