#!/usr/bin/env python
"""Diving48 (V2) video lists with MMAction2 1.2.0's own builder (its tools/data/build_file_list.py):

    python tools/data/diving48/build_file_list.py --root data/diving48

reads <root>/annotations/Diving48_V2_{train,test}.json and <root>/videos/<vid_name>.mp4 (MMAction2's layout),
writes <root>/diving48_{train,val}_list_videos.txt. Details: mmrot3d_harness/preparation/diving48.py.
"""
from mmrot3d_harness.preparation.common import run_cli
from mmrot3d_harness.preparation.diving48 import main

if __name__ == '__main__':
    run_cli(main)
