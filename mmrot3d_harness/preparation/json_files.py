"""Reading the JSON annotation files of Something-Something v2, FineGym and Diving48 with one-line errors
(``file:line: problem``, the layout the file should have)."""
import json
from pathlib import Path
from typing import Any, Dict, List, Sequence

from mmrot3d.datasets.video_list import PathLike
from .common import AnnotationError


def read_json(path: PathLike, layout: str) -> Any:
    """The parsed file; a missing or malformed one raises :class:`AnnotationError` naming ``layout``."""
    path = Path(path)
    if not path.is_file():
        raise AnnotationError(path, f'file not found (expected {layout})')
    try:
        return json.loads(path.read_text(encoding='utf-8-sig'))
    except json.JSONDecodeError as err:
        raise AnnotationError(path, f'not valid JSON ({err.msg}); expected {layout}', err.lineno) from None
    except UnicodeDecodeError:
        raise AnnotationError(path, f'not UTF-8 text; expected {layout}') from None


def read_records(path: PathLike, keys: Sequence[str], layout: str) -> List[Dict]:
    """A JSON list of objects that each have ``keys``; the first that does not is named by its index."""
    records = read_json(path, layout)
    if not isinstance(records, list) or not records:
        raise AnnotationError(path, f'expected a non-empty JSON list: {layout}')
    for i, record in enumerate(records):
        if not isinstance(record, dict) or any(k not in record for k in keys):
            raise AnnotationError(path, f'record {i} is {json.dumps(record)[:80]}; expected {layout}')
    return records


def require_int(path: PathLike, where: str, value: Any, num_classes: int, layout: str) -> int:
    """A label in ``[0, num_classes)`` (an int, or the digits of one)."""
    text = str(value)
    if isinstance(value, bool) or not text.isdigit() or int(text) >= num_classes:
        raise AnnotationError(
            path, f'{where}: label {value!r} is not an integer in 0..{num_classes - 1}; '
            f'expected {layout}')
    return int(text)
