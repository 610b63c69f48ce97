"""Kinetics-400 official CSVs + downloaded clips -> MMAction2 video lists.

Inputs::

    train.csv / validate.csv      header "label,youtube_id,time_start,time_end,split" (extra
                                  columns such as ``is_cc`` are allowed; labels may hold spaces,
                                  commas or quotes, so the file is read with the csv module)
    <video_dir>/train/<label>/<youtube_id>_<start:06d>_<end:06d>.mp4
    <video_dir>/val/<label>/...

The label folder may be the label as-is or with spaces replaced by underscores (both are accepted;
the underscore form wins when both exist). Labels are the 0-based index in ``sorted()`` order of
the label names of the *train* CSV. List paths are relative to ``video_dir`` and start with the
split folder (``train/abseiling/0wR5jVB-WPk_000417_000427.mp4 0``), so one ``data_prefix`` serves
both lists. Clips listed in a CSV but absent on disk are returned separately, not listed.
"""
import csv
import math
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Set, Tuple

from mmrot3d.datasets.video_list import Entry, PathLike, write_lines
from .common import AnnotationError, require_dir, write_outputs

REQUIRED_COLUMNS = ('label', 'youtube_id', 'time_start', 'time_end')
EXPECTED_HEADER = 'label,youtube_id,time_start,time_end,split'


class KineticsRow(NamedTuple):
    """One CSV row: the clip ``youtube_id`` from ``time_start`` to ``time_end`` seconds."""
    label: str
    youtube_id: str
    time_start: int
    time_end: int
    source: str
    lineno: int

    @property
    def filename(self) -> str:
        return f'{self.youtube_id}_{self.time_start:06d}_{self.time_end:06d}.mp4'


def _seconds(path: PathLike, lineno: int, column: str, text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        value = float('nan')
    if not (math.isfinite(value) and value >= 0 and value == int(value)):
        raise AnnotationError(path, f"{column} '{text}' is not a non-negative whole number of seconds", lineno)
    return int(value)


def read_kinetics_csv(path: PathLike) -> List[KineticsRow]:
    """Rows of an official Kinetics CSV, in file order (blank lines skipped)."""
    path = Path(path)
    if not path.is_file():
        raise AnnotationError(path, 'file not found')
    rows = []
    with open(path, newline='', encoding='utf-8-sig') as f:
        reader = csv.reader(f)
        try:
            header = next(reader, None)
            if header is None:
                raise AnnotationError(path, f"empty file, expected header '{EXPECTED_HEADER}'")
            header = [h.strip() for h in header]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing or len(set(header)) != len(header):
                problem = (f"missing column(s) {', '.join(missing)}" if missing else 'duplicate column name(s)')
                raise AnnotationError(
                    path, f"malformed CSV header '{','.join(header)}': {problem}; "
                    f"expected '{EXPECTED_HEADER}'", reader.line_num)
            index = {c: header.index(c) for c in REQUIRED_COLUMNS}
            for fields in reader:
                lineno = reader.line_num
                if not fields or all(not x.strip() for x in fields):
                    continue
                if len(fields) != len(header):
                    raise AnnotationError(path, f'expected {len(header)} columns ({",".join(header)}), '
                                          f'got {len(fields)}', lineno)
                label, youtube_id = fields[index['label']].strip(), fields[index['youtube_id']].strip()
                if not label:
                    raise AnnotationError(path, 'empty label', lineno)
                if not youtube_id or '/' in youtube_id:
                    raise AnnotationError(path, f"bad youtube_id '{youtube_id}'", lineno)
                start = _seconds(path, lineno, 'time_start', fields[index['time_start']].strip())
                end = _seconds(path, lineno, 'time_end', fields[index['time_end']].strip())
                rows.append(KineticsRow(label, youtube_id, start, end, str(path), lineno))
        except csv.Error as err:
            raise AnnotationError(path, f'CSV syntax error: {err}', reader.line_num) from None
        except UnicodeDecodeError:
            raise AnnotationError(path, 'not valid UTF-8 text', reader.line_num + 1) from None
    if not rows:
        raise AnnotationError(path, 'no clips listed')
    return rows


def kinetics_classes(train_rows: Sequence[KineticsRow]) -> List[str]:
    """Label names in label order: ``sorted()`` unique labels of the train CSV."""
    return sorted({row.label for row in train_rows})


def label_folders(label: str) -> List[str]:
    """Folder names a label may be stored under, preferred first."""
    underscored = label.replace(' ', '_')
    return [underscored] if underscored == label else [underscored, label]


def resolve_clips(rows: Sequence[KineticsRow], class_names: Sequence[str], video_dir: PathLike,
                  subdir: str) -> Tuple[List[Entry], List[Entry]]:
    """Match CSV rows to clips under ``video_dir/subdir/<label folder>/``.

    Returns:
        ``(present, missing)`` entries with paths relative to ``video_dir``; a missing clip's path
        uses the preferred (underscore) folder name.
    """
    split_dir = require_dir(Path(video_dir) / subdir, 'video directory')
    class_to_label = {name: i for i, name in enumerate(class_names)}
    listings: Dict[str, Set[str]] = {}

    def listing(folder: str) -> Set[str]:
        if folder not in listings:
            directory = split_dir / folder
            listings[folder] = {p.name for p in directory.iterdir()} if directory.is_dir() else set()
        return listings[folder]

    present, missing = [], []
    for row in rows:
        if row.label not in class_to_label:
            raise AnnotationError(row.source, f"label '{row.label}' does not occur in the train CSV", row.lineno)
        label = class_to_label[row.label]
        folders = label_folders(row.label)
        found: Optional[str] = next((d for d in folders if row.filename in listing(d)), None)
        entry = Entry(f'{subdir}/{found or folders[0]}/{row.filename}', label, row.source, row.lineno)
        (present if found else missing).append(entry)
    return present, missing


def build_kinetics400_lists(train_csv: PathLike,
                            val_csv: PathLike,
                            video_dir: PathLike,
                            train_subdir: str = 'train',
                            val_subdir: str = 'val') -> Tuple[List[str], Dict[str, Tuple[List[Entry], List[Entry]]]]:
    """Parse both CSVs and match them to the clips on disk.

    Returns:
        ``(class_names, {'train': (present, missing), 'val': (present, missing)})``.
    """
    train_rows = read_kinetics_csv(train_csv)
    val_rows = read_kinetics_csv(val_csv)
    class_names = kinetics_classes(train_rows)
    return class_names, {
        'train': resolve_clips(train_rows, class_names, video_dir, train_subdir),
        'val': resolve_clips(val_rows, class_names, video_dir, val_subdir),
    }


def write_kinetics400_lists(out: PathLike, class_names: Sequence[str], lists: Dict[str, Tuple[List[Entry],
                                                                                              List[Entry]]]) -> None:
    """Write ``kinetics400_classes.txt`` and ``kinetics400_{train,val}_list_videos.txt`` (the missing clips, if
    any, to ``kinetics400_{train,val}_missing.txt``) to ``out``, as :func:`build_kinetics400_lists` returns them."""
    out = Path(out)
    write_lines(out / 'kinetics400_classes.txt', class_names)
    print(f'wrote {out / "kinetics400_classes.txt"}: {len(class_names)} classes')
    for subset, (present, missing) in lists.items():
        write_outputs(out / f'kinetics400_{subset}_list_videos.txt', present, missing,
                      out / f'kinetics400_{subset}_missing.txt')
        if not missing:
            print(f'  all {len(present)} {subset} clips of the CSV found on disk')
