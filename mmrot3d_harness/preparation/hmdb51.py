"""HMDB51 official split files -> MMAction2 video lists.

Official layout (``hmdb51_org.rar`` + ``test_train_splits.rar``)::

    <video_root>/<class_name>/<video>.avi
    testTrainMulti_7030_splits/<class_name>_test_split{1,2,3}.txt   "<video>.avi <flag>"

with flag 1 = train, 2 = test, 0 = unused. Class names (which may contain ``_``) are taken from the
split-file names; labels are the 0-based index in ``sorted()`` order of those names, so they do not
depend on file-system order. List paths are ``<class_name>/<video>.avi``, relative to the video root.
"""
import re
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from mmrot3d.datasets.video_list import Entry, PathLike
from .common import AnnotationError, read_text_lines, require_dir

SPLITS = (1, 2, 3)
SPLIT_FILE = re.compile(r'^(?P<name>.+)_test_split(?P<split>\d+)\.txt$')
TRAIN, TEST, UNUSED = '1', '2', '0'


def find_classes(split_dir: PathLike) -> List[str]:
    """Sorted class names found in ``<class_name>_test_split<N>.txt`` file names of ``split_dir``."""
    split_dir = require_dir(split_dir, 'split directory')
    names = {m.group('name') for m in (SPLIT_FILE.match(p.name) for p in split_dir.iterdir()) if m}
    if not names:
        raise AnnotationError(split_dir, "no '<class_name>_test_split<N>.txt' files found")
    return sorted(names)


def read_split_file(path: PathLike, class_name: str, label: int) -> Tuple[List[Entry], List[Entry]]:
    """``(train, test)`` entries of one ``<class_name>_test_split<N>.txt``; flag-0 videos are skipped."""
    train, test = [], []
    seen: Dict[str, int] = {}
    for lineno, text in read_text_lines(path):
        fields = text.split()
        if len(fields) != 2:
            raise AnnotationError(path, f"expected '<video>.avi <flag>', got {len(fields)} column(s): "
                                  f"'{text}'", lineno)
        video, flag = fields
        if '/' in video or '\\' in video:
            raise AnnotationError(path, f"expected a bare file name, got '{video}'", lineno)
        if flag not in (TRAIN, TEST, UNUSED):
            raise AnnotationError(path, f"unknown flag '{flag}' (expected 0 = unused, 1 = train, "
                                  '2 = test)', lineno)
        if video in seen:
            raise AnnotationError(path, f"video '{video}' listed twice (first on line {seen[video]})", lineno)
        seen[video] = lineno
        if flag != UNUSED:
            entry = Entry(f'{class_name}/{video}', label, str(path), lineno)
            (train if flag == TRAIN else test).append(entry)
    if not seen:
        raise AnnotationError(path, 'no videos listed')
    return train, test


def build_hmdb51_lists(split_dir: PathLike,
                       splits: Sequence[int] = SPLITS) -> Tuple[List[str], Dict[int, Tuple[List[Entry], List[Entry]]]]:
    """Parse ``testTrainMulti_7030_splits/``.

    Returns:
        ``(class_names, {split: (train_entries, val_entries)})``; entries are ordered by label,
        then by line within the split file.
    """
    split_dir = Path(split_dir)
    class_names = find_classes(split_dir)
    lists = {}
    for split in splits:
        if split not in SPLITS:
            raise ValueError(f'HMDB51 split must be one of {SPLITS}, got {split}')
        train, val = [], []
        for label, name in enumerate(class_names):
            class_train, class_val = read_split_file(split_dir / f'{name}_test_split{split}.txt', name, label)
            train += class_train
            val += class_val
        lists[split] = (train, val)
    return class_names, lists
