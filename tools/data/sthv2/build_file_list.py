#!/usr/bin/env python
"""Something-Something v2 video lists with MMAction2 1.2.0's own builder (its tools/data/build_file_list.py):

    python tools/data/sthv2/build_file_list.py --root data/sthv2

reads <root>/annotations/something-something-v2-*.json and <root>/videos/<id>.webm (MMAction2's layout), writes
<root>/sthv2_{train,val}_list_videos.txt. Details: mmrot3d_harness/preparation/sthv2.py.
"""
from mmrot3d_harness.preparation.common import run_cli
from mmrot3d_harness.preparation.sthv2 import main

if __name__ == '__main__':
    run_cli(main)
