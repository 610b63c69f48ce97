"""SEVERE's 1000-sample UCF101 set: the draw of :func:`.severe_subsets.severe_subset` over the official
``trainlist01.txt`` in file order, every listed video included (SEVERE's UCF101 loader does not look for missing
files before it draws, so neither does this: a drawn video that is missing stays listed, and the benchmark's data
check names it before any job). Labels are the ``classInd.txt`` index - 1, as in every UCF101 list here."""
import argparse
from pathlib import Path

from mmrot3d.datasets.video_list import write_video_list
from .severe_subsets import severe_subset
from .ucf101 import build_ucf101_lists

OUT = 'ucf101_train_split_1_1000samples_videos.txt'


def build(root: Path, ann_dir: Path = None, out: Path = None) -> Path:
    """Write ``OUT`` under ``out`` (default ``root``) from ``ann_dir`` (default ``root/ucfTrainTestlist``)."""
    root = Path(root)
    _, lists = build_ucf101_lists(ann_dir or root / 'ucfTrainTestlist', [1])
    entries = severe_subset(lists[1][0])
    path = write_video_list(Path(out or root) / OUT, entries)
    print(f'wrote {path}: {len(entries)} videos, {len({e.label for e in entries})} classes (SEVERE\'s draw)')
    return path


def main(argv=None) -> None:
    """``tools/data/ucf101/build_severe_subset.py``; an ``AnnotationError`` is for the caller (``run_cli``)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--root', default='data/ucf101', help='dataset root (default: %(default)s)')
    parser.add_argument('--ann-dir', help='classInd.txt and trainlist01.txt (default: <root>/ucfTrainTestlist)')
    parser.add_argument('--out', help='output folder (default: <root>)')
    args = parser.parse_args(argv)
    build(Path(args.root), args.ann_dir and Path(args.ann_dir), args.out and Path(args.out))
