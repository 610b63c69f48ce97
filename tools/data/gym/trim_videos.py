#!/usr/bin/env python
"""Cut FineGym's competition videos into events and subactions with MMAction2 1.2.0's own
tools/data/gym/trim_event.py and trim_subaction.py (ffmpeg on PATH):

    python tools/data/gym/trim_videos.py --root data/gym

reads <root>/videos/<youtube id>.mp4 and <root>/annotations/annotation.json, writes <root>/events/,
<root>/annotations/event_annotation.json and <root>/subactions/. Details: mmrot3d_harness/preparation/finegym.py.
"""
from mmrot3d_harness.preparation.common import run_cli
from mmrot3d_harness.preparation.finegym import trim_main

if __name__ == '__main__':
    run_cli(trim_main)
