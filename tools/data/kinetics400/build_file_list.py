#!/usr/bin/env python
"""Build MMAction2 video lists for Kinetics-400 from the official CSVs and the downloaded clips.

Writes ``kinetics400_train_list_videos.txt``, ``kinetics400_val_list_videos.txt`` and
``kinetics400_classes.txt`` (label order: sorted label names of the train CSV) to ``--out``.
Clips are looked up as ``<video-dir>/<train|val>/<label>/<youtube_id>_<start:06d>_<end:06d>.mp4``
(label folder as-is or with spaces -> underscores); list paths are relative to ``--video-dir``
(``train/abseiling/0wR5jVB-WPk_000417_000427.mp4 0``).

    python tools/data/kinetics400/build_file_list.py --root data/kinetics400
        # reads data/kinetics400/{train,validate}.csv and data/kinetics400/videos/{train,val}/

MMAction2's layout (``videos_train/``, ``videos_val/``, ``annotations/kinetics_{train,val}.csv``)::

    python tools/data/kinetics400/build_file_list.py --root data/kinetics400 \
        --train-csv data/kinetics400/annotations/kinetics_train.csv \
        --val-csv data/kinetics400/annotations/kinetics_val.csv \
        --video-dir data/kinetics400 --train-subdir videos_train --val-subdir videos_val

Clips listed in a CSV but missing on disk are left out, counted, and written to
``kinetics400_{train,val}_missing.txt``. Bad CSVs: one ``error: <file>:<line>: <problem>`` line on
stderr, exit status 2.
"""
import argparse
from pathlib import Path

from mmrot3d_harness.preparation.common import run_cli
from mmrot3d_harness.preparation.kinetics import build_kinetics400_lists, write_kinetics400_lists


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--root', default='data/kinetics400', help='dataset root (default: %(default)s)')
    parser.add_argument('--train-csv', help='train CSV (default: <root>/train.csv)')
    parser.add_argument('--val-csv', help='validation CSV (default: <root>/validate.csv)')
    parser.add_argument(
        '--video-dir',
        help='folder holding the train/ and val/ clip folders; list '
        'paths are relative to it (default: <root>/videos)')
    parser.add_argument('--train-subdir', default='train', help='train clip folder in --video-dir')
    parser.add_argument('--val-subdir', default='val', help='val clip folder in --video-dir')
    parser.add_argument('--out', help='output folder (default: <root>)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    root = Path(args.root)
    train_csv = Path(args.train_csv) if args.train_csv else root / 'train.csv'
    val_csv = Path(args.val_csv) if args.val_csv else root / 'validate.csv'
    video_dir = Path(args.video_dir) if args.video_dir else root / 'videos'
    out = Path(args.out) if args.out else root

    class_names, lists = build_kinetics400_lists(train_csv, val_csv, video_dir, args.train_subdir, args.val_subdir)
    write_kinetics400_lists(out, class_names, lists)


if __name__ == '__main__':
    run_cli(main)
