"""MMAction2 video lists (``relative/path.ext <label>`` per line, labels 0-based): one reader, one writer.

Every entry remembers the file and line it came from, so that a later problem (a malformed line, a
missing or unreadable video) is reported as ``file:line: message``.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple, Union

PathLike = Union[str, Path]
Label = Union[int, List[int]]


@dataclass(frozen=True)
class Entry:
    """One video of a list.

    Args:
        path: relative to the video root, ``/`` separators.
        label: 0-based class (a list of them for multi-class lists; -1 for a line without label).
        source / lineno: the file and 1-based line it came from ('' / 0 for entries made in memory).
        text: the line as read.
        error: why the line is malformed (then ``path`` and ``label`` mean nothing).
    """
    path: str
    label: Label
    source: str = ''
    lineno: int = 0
    text: str = ''
    error: Optional[str] = None

    def line(self, delimiter: str = ' ') -> str:
        labels = self.label if isinstance(self.label, (list, tuple)) else [self.label]
        return delimiter.join([self.path, *map(str, labels)])


def parse_line(line: str,
               delimiter: str = ' ',
               multi_class: bool = False,
               num_classes: Optional[int] = None,
               require_label: bool = True) -> Tuple[str, Label]:
    """Parse ``path label`` the way MMAction2's ``VideoDataset`` does, but strictly.

    Raises:
        ValueError: one line saying what is wrong with the line.
    """
    fields = line.strip().split(delimiter)
    if len(fields) == 1 and fields[0]:
        for other in ('\t', ',', ';', ' '):
            if other != delimiter and other in fields[0]:
                raise ValueError(f'wrong separator: found {other!r}, expected {delimiter!r}')
        if require_label:
            raise ValueError('missing label')
        return fields[0], -1
    filename, labels = fields[0], fields[1:]
    if not filename or any(not x for x in labels):
        raise ValueError(f'empty field (two separators in a row?); expected "path{delimiter}label"')
    if not multi_class and len(labels) != 1:
        raise ValueError(f'{len(labels)} labels on a single-label line (a path with {delimiter!r} in it?)')
    try:
        values = [int(x) for x in labels]
    except ValueError:
        raise ValueError(f'label {" ".join(labels)!r} is not an integer') from None
    for value in values:
        if value < 0 or (num_classes is not None and value >= num_classes):
            bound = f' [0, {num_classes})' if num_classes is not None else ' (negative)'
            raise ValueError(f'label {value} out of range{bound}')
    return filename, values if multi_class else values[0]


def read_video_list(path: PathLike,
                    delimiter: str = ' ',
                    multi_class: bool = False,
                    num_classes: Optional[int] = None,
                    require_label: bool = True) -> List[Entry]:
    """Every non-blank line of a video list, parsed; a malformed one carries ``error``."""
    entries = []
    with open(path, encoding='utf-8-sig') as f:
        for lineno, text in enumerate(f, start=1):
            text = text.rstrip('\n').rstrip('\r')
            if not text.strip():
                continue
            try:
                video, label = parse_line(text, delimiter, multi_class, num_classes, require_label)
                entries.append(Entry(video, label, str(path), lineno, text))
            except ValueError as err:
                entries.append(Entry('', -1, str(path), lineno, text, error=str(err)))
    return entries


def write_lines(path: PathLike, lines: Iterable[str]) -> Path:
    """Write ``lines`` (one per line, trailing newline) to ``path``, creating parent folders."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(''.join(f'{line}\n' for line in lines), encoding='utf-8')
    return path


def write_video_list(path: PathLike, entries: Sequence[Entry]) -> Path:
    """Write a video list (``relative/path.ext <label>`` per line)."""
    return write_lines(path, (e.line() for e in entries))
