"""UCF101 official split files -> MMAction2 video lists.

Official layout (``UCF101.rar`` + ``UCF101TrainTestSplits-RecognitionTask.zip``)::

    UCF-101/<ClassName>/v_<ClassName>_gXX_cYY.avi
    ucfTrainTestlist/classInd.txt           "1 ApplyEyeMakeup" ... (1-based)
    ucfTrainTestlist/trainlist0{1,2,3}.txt  "ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1" (1-based)
    ucfTrainTestlist/testlist0{1,2,3}.txt   "ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi" (no label)

Labels are ``classInd index - 1``; list paths are relative to ``UCF-101/``. Note the file-name
prefix may differ from the folder in case (``HandstandPushups/v_HandStandPushups_...``), so only
the folder is checked against ``classInd.txt``.
"""
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from mmrot3d.datasets.video_list import Entry, PathLike
from .common import AnnotationError, read_text_lines

CLASS_IND = 'classInd.txt'
SPLITS = (1, 2, 3)


def read_class_ind(path: PathLike) -> List[str]:
    """Class names of ``classInd.txt`` in label order (index ``i`` -> label ``i - 1``).

    Indices must run 1, 2, 3, ... in file order and names must be unique.
    """
    names: List[str] = []
    for lineno, text in read_text_lines(path):
        fields = text.split()
        if len(fields) != 2:
            raise AnnotationError(path, f"expected '<index> <ClassName>', got {len(fields)} column(s): "
                                  f"'{text}'", lineno)
        index, name = fields
        if not index.isdigit():
            raise AnnotationError(path, f"class index '{index}' is not an integer", lineno)
        if int(index) != len(names) + 1:
            raise AnnotationError(path, f'class index {int(index)} out of sequence, expected '
                                  f'{len(names) + 1}', lineno)
        if name in names:
            raise AnnotationError(path, f"class '{name}' listed twice (first as index "
                                  f'{names.index(name) + 1})', lineno)
        names.append(name)
    if not names:
        raise AnnotationError(path, 'no classes listed')
    return names


def _class_of(path: PathLike, lineno: int, video: str, class_to_label: Dict[str, int]) -> int:
    """0-based label of the class folder of ``video`` (``ClassName/file.avi``)."""
    folder, sep, name = video.partition('/')
    if not sep or not folder or not name or '/' in name:
        raise AnnotationError(path, f"expected '<ClassName>/<video>.avi', got '{video}'", lineno)
    if folder not in class_to_label:
        raise AnnotationError(path, f"class '{folder}' not in {CLASS_IND}", lineno)
    return class_to_label[folder]


def read_trainlist(path: PathLike, class_names: Sequence[str]) -> List[Entry]:
    """Entries of a ``trainlist0N.txt`` (``ClassName/v_...avi <1-based label>``).

    The label must be in ``1..len(class_names)`` and agree with the class folder.
    """
    class_to_label = {name: i for i, name in enumerate(class_names)}
    entries = []
    for lineno, text in read_text_lines(path):
        fields = text.split()
        if len(fields) != 2:
            raise AnnotationError(
                path, f"expected '<ClassName>/<video>.avi <label>', got "
                f"{len(fields)} column(s): '{text}'", lineno)
        video, label_text = fields
        try:
            label = int(label_text)
        except ValueError:
            raise AnnotationError(path, f"label '{label_text}' is not an integer", lineno) from None
        if not 1 <= label <= len(class_names):
            raise AnnotationError(path, f'label {label} out of range 1..{len(class_names)}', lineno)
        folder_label = _class_of(path, lineno, video, class_to_label)
        if folder_label != label - 1:
            raise AnnotationError(
                path, f"label {label} ('{class_names[label - 1]}') disagrees with class folder "
                f"'{class_names[folder_label]}' (index {folder_label + 1} in {CLASS_IND})", lineno)
        entries.append(Entry(video, label - 1, str(path), lineno))
    if not entries:
        raise AnnotationError(path, 'no videos listed')
    return entries


def read_testlist(path: PathLike, class_names: Sequence[str]) -> List[Entry]:
    """Entries of a ``testlist0N.txt`` (``ClassName/v_...avi``); the label comes from the folder."""
    class_to_label = {name: i for i, name in enumerate(class_names)}
    entries = []
    for lineno, text in read_text_lines(path):
        fields = text.split()
        if len(fields) != 1:
            raise AnnotationError(
                path, f"expected '<ClassName>/<video>.avi' (1 column), got "
                f"{len(fields)} column(s): '{text}'", lineno)
        label = _class_of(path, lineno, fields[0], class_to_label)
        entries.append(Entry(fields[0], label, str(path), lineno))
    if not entries:
        raise AnnotationError(path, 'no videos listed')
    return entries


def build_ucf101_lists(ann_dir: PathLike,
                       splits: Sequence[int] = SPLITS) -> Tuple[List[str], Dict[int, Tuple[List[Entry], List[Entry]]]]:
    """Parse ``ann_dir`` (``ucfTrainTestlist/``).

    Returns:
        ``(class_names, {split: (train_entries, val_entries)})``; entries keep file order.
    """
    ann_dir = Path(ann_dir)
    class_names = read_class_ind(ann_dir / CLASS_IND)
    lists = {}
    for split in splits:
        if split not in SPLITS:
            raise ValueError(f'UCF101 split must be one of {SPLITS}, got {split}')
        train = read_trainlist(ann_dir / f'trainlist0{split}.txt', class_names)
        val = read_testlist(ann_dir / f'testlist0{split}.txt', class_names)
        lists[split] = (train, val)
    return class_names, lists
