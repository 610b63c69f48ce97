#!/usr/bin/env python
"""Build MMAction2 video lists for the 3 official HMDB51 splits.

Writes ``hmdb51_{train,val}_split_{1,2,3}_videos.txt`` and ``hmdb51_classes.txt`` (label order:
sorted class names) to ``--out``; paths are relative to the video root
(``brush_hair/April_09_brush_hair_u_nm_np1_ba_goo_0.avi 0``). Flag 0 (unused) videos are skipped.

    python tools/data/hmdb51/build_file_list.py --video-root data/hmdb51/videos \
        --split-dir data/hmdb51/testTrainMulti_7030_splits --out data/hmdb51

Defaults come from ``--root`` (default ``data/hmdb51``): ``<root>/videos``,
``<root>/testTrainMulti_7030_splits`` and ``<root>``.

Videos listed in a split file but missing on disk are left out and reported (also written to
``hmdb51_<train|val>_split_<N>_missing.txt``); ``--strict`` makes them an error instead.
Bad annotations: one ``error: <file>:<line>: <problem>`` line on stderr, exit status 2.
"""
import argparse
from pathlib import Path

from mmrot3d_harness.preparation.common import run_cli, write_split_lists
from mmrot3d_harness.preparation.hmdb51 import SPLITS, build_hmdb51_lists


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--root', default='data/hmdb51', help='dataset root (default: %(default)s)')
    parser.add_argument('--video-root', help='folder with <class_name>/ subfolders (default: <root>/videos)')
    parser.add_argument(
        '--split-dir',
        help='folder with <class_name>_test_split<N>.txt '
        '(default: <root>/testTrainMulti_7030_splits)')
    parser.add_argument('--out', help='output folder (default: <root>)')
    parser.add_argument('--splits', type=int, nargs='+', choices=SPLITS, default=list(SPLITS))
    parser.add_argument(
        '--strict', action='store_true', help='fail if a listed video is missing on disk (default: skip and report)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    root = Path(args.root)
    video_root = Path(args.video_root) if args.video_root else root / 'videos'
    split_dir = Path(args.split_dir) if args.split_dir else root / 'testTrainMulti_7030_splits'
    out = Path(args.out) if args.out else root

    class_names, lists = build_hmdb51_lists(split_dir, args.splits)
    write_split_lists('hmdb51', class_names, lists, video_root, out, strict=args.strict)


if __name__ == '__main__':
    run_cli(main)
