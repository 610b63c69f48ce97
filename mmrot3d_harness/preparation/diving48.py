"""Diving48 (V2 annotations) -> MMAction2's video lists, with MMAction2 1.2.0's own list builder.

The release, laid out as MMAction2's ``tools/data/diving48/README.md`` puts it (V2 only, "considering the
correctness of annotation files")::

    <root>/annotations/Diving48_V2_{train,test}.json
        [{"vid_name": "-mmq0PT-u8k_00155", "label": 0, "start_frame": 0, "end_frame": 48}, ...]
    <root>/annotations/Diving48_vocab.json     48 x ["Back", "15som", "05Twis", "FREE"] (optional here)
    <root>/videos/<vid_name>.mp4               (Diving48_rgb.tar.gz untarred, rgb/ renamed videos/)

48 classes, of which V2 uses 47 (label 30 has no video in either file). The JSONs are checked here, then
MMAction2's ``tools/data/build_file_list.py diving48`` writes ``<root>/diving48_{train,val}_list_videos.txt``
(``<vid_name>.mp4 <label>``; val = the V2 test file, as MMAction2 and SEVERE use it).
"""
import argparse
from pathlib import Path
from typing import Dict, List

from mmrot3d.datasets.video_list import Entry
from .common import find_missing, missing_error, require_dir
from .json_files import read_records, require_int
from .mmaction_tools import build_file_list, summarise

NUM_CLASSES = 48
FILES = dict(train='Diving48_V2_train.json', val='Diving48_V2_test.json')
LAYOUT = '[{"vid_name": "<name>", "label": <0..47>, "start_frame": <int>, "end_frame": <int>}, ...] (Diving48 V2)'


def read_split(path: Path) -> List[Entry]:
    """The records of a V2 JSON as entries ``<vid_name>.mp4 <label>`` (file order)."""
    return [
        Entry(f'{r["vid_name"]}.mp4', require_int(path,
                                                  f'record {i} ({r["vid_name"]})', r['label'], NUM_CLASSES, LAYOUT),
              str(path), i + 1) for i, r in enumerate(read_records(path, ('vid_name', 'label'), LAYOUT))
    ]


def build(root: Path, strict: bool = False) -> Dict[str, List[Entry]]:
    """Check the release under ``root``, run MMAction2's builder, report; returns the lists' entries."""
    root = Path(root)
    require_dir(root / 'annotations', 'annotation folder (MMAction2 layout: <root>/annotations/)')
    videos = require_dir(root / 'videos', 'video folder (MMAction2 layout: <root>/videos/<vid_name>.mp4)')
    listed = {subset: read_split(root / 'annotations' / name) for subset, name in FILES.items()}
    if strict:
        missing = [e for entries in listed.values() for e in find_missing(entries, videos)[1]]
        if missing:
            raise missing_error(missing, videos)
    return {
        subset:
        summarise(
            build_file_list('diving48', root, subset),
            entries,
            root / f'diving48_{subset}_missing.txt',
            num_classes=NUM_CLASSES)
        for subset, entries in listed.items()
    }


def main(argv=None) -> None:
    """``tools/data/diving48/build_file_list.py``; an ``AnnotationError`` is for the caller (``run_cli``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--root', default='data/diving48', help="the release in MMAction2's layout (default: %(default)s)")
    parser.add_argument('--strict', action='store_true', help='fail if a listed video is missing on disk')
    args = parser.parse_args(argv)
    build(Path(args.root), args.strict)
