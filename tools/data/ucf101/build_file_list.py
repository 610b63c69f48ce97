#!/usr/bin/env python
"""Build MMAction2 video lists for the 3 official UCF101 splits.

Writes ``ucf101_{train,val}_split_{1,2,3}_videos.txt`` and ``ucf101_classes.txt`` to ``--out``;
paths are relative to the video folder (``ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 0``).

Official release layout (default)::

    python tools/data/ucf101/build_file_list.py --root data/ucf101
        # reads data/ucf101/UCF-101/ and data/ucf101/ucfTrainTestlist/, writes to data/ucf101/

MMAction2's layout (``videos/`` + ``annotations/``)::

    python tools/data/ucf101/build_file_list.py --root data/ucf101 \
        --video-dir data/ucf101/videos --ann-dir data/ucf101/annotations

Videos listed in a split file but missing on disk are left out and reported (also written to
``ucf101_<train|val>_split_<N>_missing.txt``); ``--strict`` makes them an error instead.
Bad annotations: one ``error: <file>:<line>: <problem>`` line on stderr, exit status 2.
"""
import argparse
from pathlib import Path

from mmrot3d_harness.preparation.common import run_cli, write_split_lists
from mmrot3d_harness.preparation.ucf101 import SPLITS, build_ucf101_lists


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--root', default='data/ucf101', help='dataset root (default: %(default)s)')
    parser.add_argument(
        '--video-dir', help='video folder with <ClassName>/ subfolders '
        '(default: <root>/UCF-101)')
    parser.add_argument(
        '--ann-dir',
        help='folder with classInd.txt, trainlist0N.txt, testlist0N.txt '
        '(default: <root>/ucfTrainTestlist)')
    parser.add_argument('--out', help='output folder (default: <root>)')
    parser.add_argument('--splits', type=int, nargs='+', choices=SPLITS, default=list(SPLITS))
    parser.add_argument(
        '--strict', action='store_true', help='fail if a listed video is missing on disk (default: skip and report)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    root = Path(args.root)
    video_dir = Path(args.video_dir) if args.video_dir else root / 'UCF-101'
    ann_dir = Path(args.ann_dir) if args.ann_dir else root / 'ucfTrainTestlist'
    out = Path(args.out) if args.out else root

    class_names, lists = build_ucf101_lists(ann_dir, args.splits)
    write_split_lists('ucf101', class_names, lists, video_dir, out, strict=args.strict)


if __name__ == '__main__':
    run_cli(main)
