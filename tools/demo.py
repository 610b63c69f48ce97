#!/usr/bin/env python
"""The main job: generate the synthetic data if missing, pretrain by rotation prediction, fine-tune from the
pretrained backbone and from scratch on 3 splits until each run's validation accuracy plateaus, test (one
clip per video: it spans the whole synthetic video), judge the frozen features, print the table, and write
``work_dirs/demo/results.{json,md,png}``.
It is ``tools/benchmark.py synthetic``; every option of that tool works here too (see
``python tools/benchmark.py --help``).

    bash tools/run_demo.sh                    # the README's command 1
    python tools/demo.py --tiny --work-dir work_dirs/demo_tiny --data-root data/synthetic_tiny   # smoke size
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the folder holding tools/ (checkout or install)


def main(argv=None):
    from tools.benchmark.cli import main as benchmark
    return benchmark(['synthetic', *(sys.argv[1:] if argv is None else argv)])


if __name__ == '__main__':
    from tools.benchmark.devices import check_gpus_through_nvml
    check_gpus_through_nvml()  # this process only starts jobs: before torch is imported
    main()
