#!/usr/bin/env python
"""SEVERE's 1000-sample UCF101 training set (split 1), video for video:

    python tools/data/ucf101/build_severe_subset.py --root data/ucf101

reads <root>/ucfTrainTestlist/{classInd,trainlist01}.txt, writes <root>/ucf101_train_split_1_1000samples_videos.txt
(1010 videos). Details: mmrot3d_harness/preparation/severe_subsets.py.
"""
from mmrot3d_harness.preparation.common import run_cli
from mmrot3d_harness.preparation.ucf101_severe import main

if __name__ == '__main__':
    run_cli(main)
