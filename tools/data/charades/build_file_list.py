#!/usr/bin/env python
"""Charades multi-label video lists (MMAction2 1.2.0 has no Charades tool; ours):

    python tools/data/charades/build_file_list.py --root data/charades

reads <root>/Charades_v1_{classes.txt,train.csv,test.csv} and <root>/Charades_v1_480/<id>.mp4, writes
<root>/charades_{train,val}_list_videos.txt ("<id>.mp4 l1 l2 ..."). Details: mmrot3d_harness/preparation/charades.py.
"""
from mmrot3d_harness.preparation.charades import main
from mmrot3d_harness.preparation.common import run_cli

if __name__ == '__main__':
    run_cli(main)
