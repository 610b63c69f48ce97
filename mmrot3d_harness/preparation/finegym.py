"""FineGym -> the video lists of SEVERE's FineGym presets (gym99, gym99-1000, fx-s1, ub-s1, gym288).

The release, laid out as MMAction2 1.2.0's ``tools/data/gym/README.md`` puts it::

    <root>/annotations/annotation.json            finegym_annotation_info_v1.0.json, see ANNOTATION_LAYOUT
    <root>/annotations/gym99_{train,val}_org.txt  gym99_{train_element_v1.0,val_element}.txt:
                                                  "<youtube id>_E_<ev start>_<ev end>_A_<start>_<end> <label>"
    <root>/annotations/gym288_{train,val}_org.txt (optional) FineGym's Gym288 element lists, as SEVERE ships them
    <root>/videos/<youtube id>.mp4                the competition videos
    <root>/events/, <root>/subactions/            what trim_event.py / trim_subaction.py cut (see trim())

MMAction2's own scripts do its part unchanged (``mmaction_tools``): ``trim_event.py`` cuts each event
``<youtube id>_E_...mp4`` and writes ``annotations/event_annotation.json``; ``trim_subaction.py`` cuts each element
from its first stage's start to its last stage's end, ``subactions/<event>_A_<start>_<end>.mp4``;
``generate_file_list.py`` keeps the Gym99 entries whose subaction exists, as ``annotations/gym99_{train,val}.txt``
(``<id>.mp4 <label>``). MMAction2 has nothing for the rest; SEVERE's sets are derived here
(:mod:`.severe_subsets`): ``gym99_train_1000samples.txt``, ``fx_s1_{train,val}.txt``, ``ub_s1_{train,val}.txt``,
and ``gym288_{train,val}.txt`` by generate_file_list.py's rule.
"""
import argparse
import re
import shutil
from pathlib import Path
from typing import Dict, List

from mmrot3d.datasets.video_list import Entry, write_video_list
from .common import AnnotationError, find_missing, missing_error, read_text_lines, require_dir, write_outputs
from .json_files import read_json
from .mmaction_tools import run_data_tool, summarise
from .severe_subsets import FX_S1, UB_S1, label_range_subset, severe_subset

ELEMENT = re.compile(r'^[\w-]{11}_E_\d{6}_\d{6}_A_\d{4}_\d{4}$')
ELEMENT_LAYOUT = "'<youtube id>_E_<6 digits>_<6 digits>_A_<4 digits>_<4 digits> <label>' (FineGym element list)"
ANNOTATION_LAYOUT = ('{"<youtube id>": {"E_<start>_<end>": {"event": <int>, "timestamps": [[start, end]], '
                     '"segments": {"A_<start>_<end>": {"stages": <n>, "timestamps": [[start, end], ...]}} | null}}}')
CLASSES = dict(gym99=99, gym288=288)
# SEVERE's sets derived from the Gym99 lists: file name -> (source subset, how)
DERIVED = {
    'gym99_train_1000samples.txt': ('train', severe_subset),
    'fx_s1_train.txt': ('train', lambda e: label_range_subset(e, FX_S1)),
    'fx_s1_val.txt': ('val', lambda e: label_range_subset(e, FX_S1)),
    'ub_s1_train.txt': ('train', lambda e: label_range_subset(e, UB_S1)),
    'ub_s1_val.txt': ('val', lambda e: label_range_subset(e, UB_S1)),
}


def read_elements(path: Path, num_classes: int) -> List[Entry]:
    """An element list (``<id> <label>``) as entries ``<id>.mp4 <label>``: the subaction file MMAction2 cuts."""
    entries = []
    for lineno, text in read_text_lines(path):
        fields = text.split()
        if len(fields) != 2 or not ELEMENT.match(fields[0]) or not fields[1].isdigit() \
                or int(fields[1]) >= num_classes:
            raise AnnotationError(path, f"'{text}' does not fit {ELEMENT_LAYOUT} with labels 0..{num_classes - 1}",
                                  lineno)
        entries.append(Entry(f'{fields[0]}.mp4', int(fields[1]), str(path), lineno))
    if not entries:
        raise AnnotationError(path, f'no elements listed; expected {ELEMENT_LAYOUT}')
    return entries


def check_annotation(path: Path) -> int:
    """The number of events of a FineGym annotation JSON, each checked against ``ANNOTATION_LAYOUT``."""
    videos = read_json(path, ANNOTATION_LAYOUT)
    events = 0
    for video, found in (videos.items() if isinstance(videos, dict) else [(None, None)]):
        for event, info in (found.items() if isinstance(found, dict) else [(None, None)]):
            stamps = info.get('timestamps') if isinstance(info, dict) else None
            segments = info.get('segments', {}) if isinstance(info, dict) else {}
            if not (isinstance(stamps, list) and stamps and len(stamps[0]) == 2 and
                    (segments is None or isinstance(segments, dict))):
                raise AnnotationError(path, f'{video}/{event}: does not fit {ANNOTATION_LAYOUT}')
            for name, segment in (segments or {}).items():
                if not (isinstance(segment, dict) and segment.get('timestamps')
                        and all(len(t) == 2 for t in segment['timestamps'])):
                    raise AnnotationError(
                        path, f'{video}/{event}/{name}: expected {{"stages": <n>, '
                        '"timestamps": [[start, end], ...]}')
            events += 1
    return events


def trim(root: Path) -> Dict[str, int]:
    """MMAction2's ``trim_event.py`` then ``trim_subaction.py`` on ``root`` (they call ``ffmpeg``); returns how
    many events and subactions exist afterwards. An existing cut is kept (ffmpeg is not allowed to overwrite)."""
    root = Path(root)
    if shutil.which('ffmpeg') is None:
        raise AnnotationError(
            root, "ffmpeg not found on PATH: MMAction2's trim_event.py and trim_subaction.py "
            'cut with it (apt-get install ffmpeg; they encode with libx264)')
    require_dir(root / 'videos', 'video folder (MMAction2 layout: <root>/videos/<youtube id>.mp4)')
    check_annotation(root / 'annotations' / 'annotation.json')
    for script in ('trim_event.py', 'trim_subaction.py'):
        said = run_data_tool(f'gym/{script}', [], 'gym', root, cwd='tools/data/gym').strip().splitlines()
        print(f'{script}: done' + (f'; it said {len(said)} thing(s), first: {said[0]}' if said else '') +
              (' (a cut made before is kept: ffmpeg does not overwrite it, which the script calls failed)'
               if said else ''))
    counts = {kind: len(list((root / kind).glob('*.mp4'))) for kind in ('events', 'subactions')}
    cut = read_json(root / 'annotations' / 'event_annotation.json', 'trim_event.py\'s output')
    print(f'{root}: {counts["events"]} event videos, {counts["subactions"]} subaction videos of the '
          f'{sum(len(v) for v in cut.values())} elements of the events cut (a missing one: trim_subaction.py '
          'names it above)')
    return counts


def _gym288(ann: Path, subactions: Path) -> None:
    """Gym288's lists by generate_file_list.py's rule (the elements whose subaction exists); MMAction2's
    script is Gym99's only."""
    for subset in ('train', 'val'):
        org = ann / f'gym288_{subset}_org.txt'
        if not org.is_file():
            print(f'gym288: {org} not found (FineGym\'s Gym288 element list; MMAction2 does not download it): '
                  'no gym288 lists')
            return
        present, missing = find_missing(read_elements(org, CLASSES['gym288']), subactions)
        write_outputs(ann / f'gym288_{subset}.txt', present, missing, ann / f'gym288_{subset}_missing.txt')


def build(root: Path, strict: bool = False) -> Dict[str, List[Entry]]:
    """Gym99's lists by MMAction2's generate_file_list.py, then SEVERE's sets and Gym288; returns Gym99's."""
    root = Path(root)
    ann = require_dir(root / 'annotations', 'annotation folder (MMAction2 layout: <root>/annotations/)')
    subactions = require_dir(root / 'subactions', 'subaction folder (run tools/data/gym/trim_videos.py first)')
    listed = {s: read_elements(ann / f'gym99_{s}_org.txt', CLASSES['gym99']) for s in ('train', 'val')}
    if strict:
        missing = [e for entries in listed.values() for e in find_missing(entries, subactions)[1]]
        if missing:
            raise missing_error(missing, subactions)
    run_data_tool('gym/generate_file_list.py', [], 'gym', root, cwd='tools/data/gym')
    lists = {
        s: summarise(ann / f'gym99_{s}.txt', entries, ann / f'gym99_{s}_missing.txt', CLASSES['gym99'])
        for s, entries in listed.items()
    }
    for name, (subset, derive) in DERIVED.items():
        entries = derive(lists[subset])
        write_video_list(ann / name, entries)
        print(f'wrote {ann / name}: {len(entries)} videos, {len({e.label for e in entries})} classes')
    _gym288(ann, subactions)
    return lists


def main(argv=None) -> None:
    """``tools/data/gym/build_file_list.py``; an ``AnnotationError`` is for the caller (``run_cli``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--root', default='data/gym', help="FineGym in MMAction2's layout (default: %(default)s)")
    parser.add_argument('--strict', action='store_true', help='fail if a listed subaction video is missing')
    args = parser.parse_args(argv)
    build(Path(args.root), args.strict)


def trim_main(argv=None) -> None:
    """``tools/data/gym/trim_videos.py``."""
    parser = argparse.ArgumentParser(description=trim.__doc__)
    parser.add_argument('--root', default='data/gym', help="FineGym in MMAction2's layout (default: %(default)s)")
    trim(Path(parser.parse_args(argv).root))
