#!/usr/bin/env python
"""FineGym video lists: Gym99 by MMAction2 1.2.0's own tools/data/gym/generate_file_list.py, then SEVERE's sets
(Gym99 1000 samples, FX-S1, UB-S1) and Gym288:

    python tools/data/gym/trim_videos.py --root data/gym       # once: MMAction2's trim_event.py, trim_subaction.py
    python tools/data/gym/build_file_list.py --root data/gym

Details: mmrot3d_harness/preparation/finegym.py.
"""
from mmrot3d_harness.preparation.common import run_cli
from mmrot3d_harness.preparation.finegym import main

if __name__ == '__main__':
    run_cli(main)
