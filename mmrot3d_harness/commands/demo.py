"""The demo (the main job of the README): generate the synthetic data if missing, pretrain by rotation prediction,
fine-tune from the pretrained backbone and from scratch on 3 splits until each run's validation accuracy
plateaus, test (one clip per video: it spans the whole synthetic video), judge the frozen features, print the
table, and write ``work_dirs/demo/results.{json,md,png}``.
It is the benchmark's ``demo`` preset; every option of the benchmark works here too (``mmrot3d benchmark --help``).

    bash tools/run_demo.sh                    # the README's command 1 (sets up .venv/ first)
    mmrot3d demo --tiny --work-dir work_dirs/demo_tiny --data-root data/synthetic_tiny   # smoke size
"""
import sys

from .benchmark import main as benchmark


def main(argv=None):
    return benchmark(['demo', *(sys.argv[1:] if argv is None else argv)])
