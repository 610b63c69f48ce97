"""Charades -> MMAction2 multi-label video lists (``<id>.mp4 <label> <label> ...``), for ``VideoDataset(
multi_class=True, num_classes=157)``. MMAction2 1.2.0 has no Charades tool (only ``charades-sta``), so this one
is ours.

The release (``Charades.zip`` annotations, ``Charades_v1_480.zip`` videos)::

    <root>/Charades_v1_classes.txt               "c000 Holding some clothes" ... "c156 ..." (157 classes)
    <root>/Charades_v1_{train,test}.csv          header id,subject,scene,quality,relevance,verified,script,
                                                 objects,descriptions,actions,length; actions =
                                                 "c092 11.90 21.20;c147 0.00 12.60" (class, start s, end s)
    <root>/Charades_v1_480/<id>.mp4

A video's labels are every class its ``actions`` name (video level: MMAction2's lists have no time). Videos
without any action are left out and counted (a multi-label list line needs a label). Writes
``charades_{train,val}_list_videos.txt`` (val = the test CSV, as SEVERE and PySlowFast evaluate on it) and
``charades_classes.txt``.
"""
import argparse
import csv
import re
from pathlib import Path
from typing import Dict, List, Tuple

from mmrot3d.datasets.video_list import Entry, write_lines, write_video_list
from .common import AnnotationError, find_missing, missing_error, read_text_lines, require_dir
from .mmaction_tools import write_missing

NUM_CLASSES = 157
CLASS_LINE = re.compile(r'^c(\d{3}) (.+)$')
ACTION = re.compile(r'^c(\d{3}) \d+(\.\d+)? \d+(\.\d+)?$')
HEADER = 'id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length'
FILES = dict(train='Charades_v1_train.csv', val='Charades_v1_test.csv')


def read_classes(path: Path) -> List[str]:
    """Class names in label order; lines must run c000, c001, ... c156."""
    names = []
    for lineno, text in read_text_lines(path):
        found = CLASS_LINE.match(text)
        if not found or int(found.group(1)) != len(names):
            raise AnnotationError(path, f"'{text}': expected 'c{len(names):03d} <class name>'", lineno)
        names.append(found.group(2))
    if len(names) != NUM_CLASSES:
        raise AnnotationError(path, f'{len(names)} classes; Charades v1 has {NUM_CLASSES} (c000..c156)')
    return names


def read_csv(path: Path) -> Tuple[List[Entry], List[str]]:
    """(entries ``<id>.mp4 [labels]``, ids without any action) of a Charades_v1 CSV, in file order."""
    if not path.is_file():
        raise AnnotationError(path, f'file not found (expected the CSV with header {HEADER})')
    entries, unlabelled = [], []
    with open(path, newline='', encoding='utf-8-sig') as f:
        reader = csv.DictReader(f)
        if not {'id', 'actions'} <= set(reader.fieldnames or []):
            raise AnnotationError(path, f'header {",".join(reader.fieldnames or [])!r}; expected {HEADER}', 1)
        for row in reader:
            actions = [a.strip() for a in (row['actions'] or '').split(';') if a.strip()]
            bad = next((a for a in actions if not ACTION.match(a)), None)
            if bad or not row['id']:
                raise AnnotationError(
                    path, f"actions '{bad}' of video {row['id']!r}: expected 'cNNN <start s> "
                    "<end s>' joined by ';'", reader.line_num)
            labels = sorted({int(a[1:4]) for a in actions})
            if any(label >= NUM_CLASSES for label in labels):
                raise AnnotationError(path, f'video {row["id"]}: a class beyond c156', reader.line_num)
            if labels:
                entries.append(Entry(f'{row["id"]}.mp4', labels, str(path), reader.line_num))
            else:
                unlabelled.append(row['id'])
    return entries, unlabelled


def build(root: Path, strict: bool = False) -> Dict[str, List[Entry]]:
    """Write the lists and the class names under ``root``; returns the lists' entries."""
    root = Path(root)
    videos = require_dir(root / 'Charades_v1_480', 'video folder <root>/Charades_v1_480/<id>.mp4')
    names = read_classes(root / 'Charades_v1_classes.txt')
    read = {subset: read_csv(root / name) for subset, name in FILES.items()}
    checked = {subset: find_missing(entries, videos) for subset, (entries, _) in read.items()}
    if strict and any(missing for _, missing in checked.values()):
        raise missing_error([e for _, missing in checked.values() for e in missing], videos)
    write_lines(root / 'charades_classes.txt', names)
    for subset, (present, missing) in checked.items():
        out = write_video_list(root / f'charades_{subset}_list_videos.txt', present)
        print(f'wrote {out}: {len(present)} videos, {len({k for e in present for k in e.label})} classes')
        write_missing(root / f'charades_{subset}_missing.txt', missing)
        if read[subset][1]:
            print(f'  {len(read[subset][1])} video(s) of {FILES[subset]} have no action and are left out '
                  f'(first: {read[subset][1][0]})')
    return {subset: present for subset, (present, _) in checked.items()}


def main(argv=None) -> None:
    """``tools/data/charades/build_file_list.py``; an ``AnnotationError`` is for the caller (``run_cli``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--root', default='data/charades', help='the release (default: %(default)s)')
    parser.add_argument('--strict', action='store_true', help='fail if a listed video is missing on disk')
    args = parser.parse_args(argv)
    build(Path(args.root), args.strict)
