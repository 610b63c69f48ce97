"""Helpers shared by the UCF101 / HMDB51 / Kinetics-400 list builders.

The builders turn official annotation files into :class:`~mmrot3d.datasets.video_list.Entry` lists
that remember which annotation line produced them, so that any later problem (e.g. the video is
missing on disk) can be reported as ``file:line: message``.
"""
import os
import sys
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from mmrot3d.datasets.video_list import Entry, PathLike, write_lines, write_video_list


class AnnotationError(ValueError):
    """A bad or missing annotation file (or video directory).

    ``str(err)`` is one line: ``<path>:<lineno>: <message>`` (``<path>: <message>`` without a line).
    """

    def __init__(self, path: PathLike, message: str, lineno: Optional[int] = None):
        self.path = str(path)
        self.lineno = lineno
        self.message = message
        where = self.path if lineno is None else f'{self.path}:{lineno}'
        super().__init__(f'{where}: {message}')


def read_text_lines(path: PathLike) -> List[Tuple[int, str]]:
    """Non-blank lines of a text annotation file, stripped, as ``(lineno, text)`` (1-based).

    Handles CRLF line endings and a UTF-8 byte-order mark. Raises :class:`AnnotationError` if the
    file is missing or is not text.
    """
    path = Path(path)
    if not path.is_file():
        raise AnnotationError(path, 'file not found')
    try:
        text = path.read_text(encoding='utf-8-sig')
    except UnicodeDecodeError as err:
        # Report the line where decoding failed.
        lineno = path.read_bytes()[:err.start].count(b'\n') + 1
        raise AnnotationError(path, 'not valid UTF-8 text', lineno) from None
    return [(i, line.strip()) for i, line in enumerate(text.splitlines(), 1) if line.strip()]


def require_dir(path: PathLike, what: str) -> Path:
    """Return ``path`` if it is a directory, else raise :class:`AnnotationError`."""
    path = Path(path)
    if not path.is_dir():
        raise AnnotationError(path, f'{what} not found')
    return path


def find_missing(entries: Iterable[Entry], video_root: PathLike) -> Tuple[List[Entry], List[Entry]]:
    """Split ``entries`` into ``(present, missing)`` by whether ``video_root/entry.path`` is a file.

    Each directory is listed once, so this stays fast for 100k+ videos.
    """
    video_root = Path(video_root)
    listings: Dict[str, Set[str]] = {}
    present, missing = [], []
    for entry in entries:
        folder, _, name = entry.path.rpartition('/')
        if folder not in listings:
            directory = video_root / folder
            try:
                listings[folder] = {n for n in os.listdir(directory) if (directory / n).is_file()}
            except OSError:
                listings[folder] = set()
        (present if name in listings[folder] else missing).append(entry)
    return present, missing


def missing_error(missing: Sequence[Entry], video_root: PathLike) -> AnnotationError:
    """The one-line error for ``--strict``: the first missing video, where it was listed, and the
    number of distinct missing videos."""
    first = missing[0]
    return AnnotationError(
        first.source, f"video '{first.path}' not found under {video_root} "
        f'({len({e.path for e in missing})} listed video(s) missing in total)', first.lineno)


def write_outputs(out_path: PathLike,
                  entries: Sequence[Entry],
                  missing: Sequence[Entry],
                  missing_path: Optional[PathLike] = None,
                  log: Callable[[str], None] = print) -> None:
    """Write a video list, print its summary line, and report missing videos.

    If ``missing`` is non-empty its entries go to ``missing_path`` (same format) and a summary line
    is printed; otherwise a stale ``missing_path`` from an earlier run is removed.
    """
    write_video_list(out_path, entries)
    num_classes = len({e.label for e in entries})
    log(f'wrote {out_path}: {len(entries)} videos, {num_classes} classes')
    if missing_path is not None:
        if missing:
            write_lines(missing_path, (e.line() for e in missing))
            log(f'  {len(missing)} listed video(s) missing on disk and left out; '
                f'see {missing_path} (first: {missing[0].path})')
        elif Path(missing_path).is_file():
            Path(missing_path).unlink()
    spaced = [e.path for e in entries if any(c.isspace() for c in e.path)]
    if spaced:
        print(
            f"warning: {out_path}: {len(spaced)} path(s) contain whitespace (first: '{spaced[0]}'); "
            "MMAction2's VideoDataset splits lines on ' ' and cannot read them: rename those "
            'folders with underscores',
            file=sys.stderr)


def write_split_lists(prefix: str,
                      class_names: Sequence[str],
                      lists: Dict[int, Tuple[List[Entry], List[Entry]]],
                      video_root: PathLike,
                      out: PathLike,
                      strict: bool = False) -> None:
    """Write ``<prefix>_classes.txt`` and ``<prefix>_{train,val}_split_<N>_videos.txt`` for split datasets.

    Args:
        lists: ``{split: (train entries, val entries)}``.
        strict: raise (before writing anything) if a listed video is missing on disk; otherwise
            leave it out and report it in ``<prefix>_<subset>_split_<N>_missing.txt``.
    """
    require_dir(video_root, 'video directory')
    out = Path(out)
    checked = {
        (split, subset): find_missing(entries, video_root)
        for split, (train, val) in lists.items()
        for subset, entries in (('train', train), ('val', val))
    }
    all_missing = [e for _, missing in checked.values() for e in missing]
    if all_missing and strict:
        raise missing_error(all_missing, video_root)
    write_lines(out / f'{prefix}_classes.txt', class_names)
    print(f'wrote {out / f"{prefix}_classes.txt"}: {len(class_names)} classes')
    for (split, subset), (present, missing) in checked.items():
        write_outputs(out / f'{prefix}_{subset}_split_{split}_videos.txt', present, missing,
                      out / f'{prefix}_{subset}_split_{split}_missing.txt')


def run_cli(main: Callable[[], None]) -> None:
    """Run a CLI ``main``; an :class:`AnnotationError` becomes ``error: <line>`` on stderr, exit 2."""
    try:
        main()
    except AnnotationError as err:
        print(f'error: {err}', file=sys.stderr)
        sys.exit(2)
