"""Something-Something v2 -> MMAction2's video lists, with MMAction2 1.2.0's own list builder.

The release, laid out as MMAction2's ``tools/data/sthv2/README.md`` puts it::

    <root>/annotations/something-something-v2-labels.json       {"Approaching something with your camera": "0", ...}
    <root>/annotations/something-something-v2-{train,validation}.json
        [{"id": "74225", "template": "Spinning [something] that quickly stops spinning", ...}, ...]
    <root>/annotations/something-something-v2-test.json          [{"id": "1420"}, ...]   (no labels)
    <root>/videos/<id>.webm                                      (20bn-something-something-v2-?? untarred)

A record's class is its template with the brackets removed, looked up in the labels file (174 classes).
The annotations are checked here first (one line naming a record that does not fit), then MMAction2's
``tools/data/build_file_list.py sthv2`` writes ``<root>/sthv2_{train,val}_list_videos.txt`` (``<id>.webm
<label>``; val = the validation JSON); what it left out for want of a video is reported.
"""
import argparse
from pathlib import Path
from typing import Dict, List, Tuple

from mmrot3d.datasets.video_list import Entry
from .common import AnnotationError, find_missing, missing_error, require_dir
from .json_files import read_json, read_records, require_int
from .mmaction_tools import build_file_list, summarise

NUM_CLASSES = 174
FILES = dict(
    labels='something-something-v2-labels.json',
    train='something-something-v2-train.json',
    val='something-something-v2-validation.json',
    test='something-something-v2-test.json')
LABELS_LAYOUT = '{"<template without brackets>": "<label>", ...} (174 classes)'
RECORD_LAYOUT = '[{"id": "<video id>", "template": "<template with [brackets]>", ...}, ...]'


def read_labels(path: Path) -> Dict[str, int]:
    """Template (brackets removed) -> label; labels must be 0..173, each once."""
    labels = read_json(path, LABELS_LAYOUT)
    if not isinstance(labels, dict) or len(labels) != NUM_CLASSES:
        raise AnnotationError(
            path, f'{len(labels) if isinstance(labels, dict) else "no"} classes; expected '
            f'{LABELS_LAYOUT}')
    out = {t: require_int(path, f'class {t!r}', v, NUM_CLASSES, LABELS_LAYOUT) for t, v in labels.items()}
    if len(set(out.values())) != NUM_CLASSES:
        raise AnnotationError(path, f'labels repeat; expected each of 0..{NUM_CLASSES - 1} once')
    return out


def read_subset(path: Path, labels: Dict[str, int]) -> List[Entry]:
    """The records of a train/validation JSON as entries ``<id>.webm <label>`` (file order)."""
    entries = []
    for i, record in enumerate(read_records(path, ('id', 'template'), RECORD_LAYOUT)):
        template = str(record['template']).replace('[', '').replace(']', '')
        if template not in labels:
            raise AnnotationError(
                path, f'record {i} (id {record["id"]}): template {record["template"]!r} is not '
                f'in {FILES["labels"]} once its brackets are removed')
        entries.append(Entry(f'{record["id"]}.webm', labels[template], str(path), i + 1))
    return entries


def read_annotations(ann_dir: Path) -> Tuple[List[Entry], List[Entry]]:
    """(train, val) entries; the test JSON is checked too (MMAction2's parser reads it)."""
    labels = read_labels(ann_dir / FILES['labels'])
    read_records(ann_dir / FILES['test'], ('id', ), '[{"id": "<video id>"}, ...]')
    return read_subset(ann_dir / FILES['train'], labels), read_subset(ann_dir / FILES['val'], labels)


def build(root: Path, strict: bool = False) -> Dict[str, List[Entry]]:
    """Check the release under ``root``, run MMAction2's builder, report; returns the lists' entries."""
    root = Path(root)
    require_dir(root / 'annotations', 'annotation folder (MMAction2 layout: <root>/annotations/)')
    videos = require_dir(root / 'videos', 'video folder (MMAction2 layout: <root>/videos/<id>.webm)')
    listed = dict(zip(('train', 'val'), read_annotations(root / 'annotations')))
    if strict:
        missing = [e for entries in listed.values() for e in find_missing(entries, videos)[1]]
        if missing:
            raise missing_error(missing, videos)
    return {
        subset:
        summarise(
            build_file_list('sthv2', root, subset),
            entries,
            root / f'sthv2_{subset}_missing.txt',
            num_classes=NUM_CLASSES)
        for subset, entries in listed.items()
    }


def main(argv=None) -> None:
    """``tools/data/sthv2/build_file_list.py``; an :class:`AnnotationError` is for the caller (``run_cli``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--root', default='data/sthv2', help='the release in MMAction2\'s layout (default: %(default)s)')
    parser.add_argument('--strict', action='store_true', help='fail if a listed video is missing on disk')
    args = parser.parse_args(argv)
    build(Path(args.root), args.strict)
