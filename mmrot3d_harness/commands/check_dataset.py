"""Preflight a video list before a long run: report every missing, empty, unreadable, non-video, truncated or
corrupt, or too short video and every malformed line (``LIST:LINE: path: reason``), exit status 1 if any.

    python tools/check_dataset.py LIST --data-prefix DIR [--workers N] [--clip-len 16 --frame-interval 2]
        [--num-classes K] [--write-clean OUT] [--borders BORDERS.json]

The checks are the ones RobustVideoDataset makes during training (``mmrot3d.datasets.checks``). With
``--borders`` it also measures each good video's letterbox/pillarbox bars and static overlay (a logo) from 8
frames, prints their share of the list with examples, and writes every video's to BORDERS.json, which
``CropBorders(bars_file=BORDERS.json)`` reads instead of measuring again.
"""
import argparse
import os
import os.path as osp
import sys

from ..list_check import check_dataset


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('ann_file', help='annotation list, "path label" per line')
    parser.add_argument('--data-prefix', default='', help='folder the paths in the list are relative to')
    parser.add_argument(
        '--workers',
        type=int,
        default=len(os.sched_getaffinity(0)),
        help='files checked in parallel (threads; default: the usable cores)')
    parser.add_argument('--clip-len', type=int, default=16)
    parser.add_argument('--frame-interval', type=int, default=2)
    parser.add_argument(
        '--min-frames',
        type=int,
        default=None,
        help='frames a video needs (default: clip-len x frame-interval, as SampleFrames counts)')
    parser.add_argument('--num-classes', type=int, default=None, help='labels must be in [0, num_classes)')
    parser.add_argument('--delimiter', default=' ')
    parser.add_argument('--no-label', action='store_true', help='lines may be bare paths (inference lists)')
    parser.add_argument('--write-clean', metavar='OUT', help='write the good lines (unchanged) to OUT')
    parser.add_argument(
        '--borders',
        metavar='OUT.json',
        help='also measure letterbox/pillarbox bars and static overlays of the good videos (8 frames each), print '
        "their share of the list, and write each video's to OUT.json (CropBorders(bars_file=OUT.json) reads it)")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    """Exits with status 0 (every entry good), 1 (some bad) or 2 (no such list or folder)."""
    args = parse_args(argv)
    if not osp.isfile(args.ann_file):
        print(f'error: {args.ann_file}: no such annotation list', file=sys.stderr)
        sys.exit(2)
    if args.data_prefix and not osp.isdir(args.data_prefix):
        print(f'error: --data-prefix {args.data_prefix}: not a directory', file=sys.stderr)
        sys.exit(2)
    sys.exit(
        check_dataset(
            args.ann_file,
            args.data_prefix,
            args.min_frames or args.clip_len * args.frame_interval,
            args.workers,
            args.num_classes,
            args.delimiter,
            require_label=not args.no_label,
            write_clean=args.write_clean,
            borders=args.borders))
