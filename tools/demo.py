#!/usr/bin/env python
"""The main job: generate the synthetic data if missing, pretrain by rotation prediction, choose each
backbone's fine-tuning recipe on validation, fine-tune from the pretrained backbone and from scratch on 3
splits, test (10 clips per video), judge the frozen features, print the table, and write
``work_dirs/demo/results.{json,md,png}``. It is ``tools/benchmark.py synthetic``; every option of that tool
works here too (see ``python tools/benchmark.py --help``).

    bash tools/run_demo.sh                    # the README's command 1
    python tools/demo.py --tiny --work-dir work_dirs/demo_tiny --data-root data/synthetic_tiny   # smoke size
"""
import importlib.util
import sys
from pathlib import Path


def main(argv=None):
    # tools/benchmark.py beside this file (checkout or installed package); it imports mmrot3d itself, after
    # setting up how its process checks for GPUs
    spec = importlib.util.spec_from_file_location('mmrot3d_benchmark_tool', Path(__file__).with_name('benchmark.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool.main(['synthetic', *(sys.argv[1:] if argv is None else argv)])


if __name__ == '__main__':
    main()
