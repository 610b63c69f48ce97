#!/usr/bin/env python
"""The main job: generate the synthetic data if missing, pretrain by rotation prediction, fine-tune
from the pretrained backbone and from scratch on 3 splits, evaluate, print a table, and write
``<work-dir>/results.json`` and ``<work-dir>/results.png``.

    bash tools/run_demo.sh                 # ~20 min on 2 CPU cores
    python tools/demo.py --tiny --work-dir work_dirs/demo_tiny --data-root data/synthetic_tiny   # ~1 min
"""
import mmrot3d  # noqa: F401  (upstream fixes before anything imports mmaction.models)
from mmrot3d.benchmark.demo import main

if __name__ == '__main__':
    main()
