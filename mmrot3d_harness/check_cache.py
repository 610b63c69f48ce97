"""Remembered video checks: a file found good is not opened again while its size and mtime stay the same, nor is
a file whose bars and overlay were measured measured again."""
import json
import os
import stat
import threading
from typing import Callable, Optional

from mmrot3d.utils.atomic_io import write_text_atomic

# Bump when check_video's verdicts or the border measurement change: older answers are then ignored.
VERSION = 2


class CheckCache:
    """``check_video``'s good verdicts by absolute path, size, mtime (ns) and ``min_frames``, in a JSON file.

    Only good verdicts are kept: a bad file is checked again on every run (bad files are few, and a read
    error of a flaky network file system must not stick). Files are keyed by their absolute path, so one
    cache serves lists that name the same videos relative to different folders.

    Args:
        path: the JSON file (read if it exists; written by :meth:`save`).
    """

    def __init__(self, path: str):
        self.path = path
        self.hits = 0
        self._lock = threading.Lock()
        self._good, self._borders = {}, {}
        try:
            with open(path) as f:
                saved = json.load(f)
            if saved.get('version') == VERSION:
                self._good, self._borders = saved['good'], saved['borders']
        except (OSError, ValueError, KeyError, AttributeError):
            pass  # none yet, or unreadable: everything is checked again

    def check(self, path: str, min_frames: int, check: Callable[[str, int], Optional[str]]) -> Optional[str]:
        """``check(path, min_frames)``, or its remembered answer for this very file."""
        try:
            st = os.stat(path)
        except OSError:
            return check(path, min_frames)
        if not stat.S_ISREG(st.st_mode):
            return check(path, min_frames)
        key, stamp = f'{os.path.abspath(path)}|{min_frames}', [st.st_size, st.st_mtime_ns]
        if self._good.get(key) == stamp:
            with self._lock:
                self.hits += 1
            return None
        reason = check(path, min_frames)
        if reason is None:
            with self._lock:
                self._good[key] = stamp
        return reason

    def borders(self, path: str, measure: Callable[[str], dict]) -> dict:
        """``measure(path)`` (a :class:`~mmrot3d.datasets.checks.Borders` as a dict), or its remembered answer for
        this very file."""
        try:
            st = os.stat(path)
        except OSError:
            return measure(path)
        key, stamp = os.path.abspath(path), [st.st_size, st.st_mtime_ns]
        known = self._borders.get(key)
        if known and known[0] == stamp:
            with self._lock:
                self.hits += 1
            return known[1]
        found = measure(path)
        with self._lock:
            self._borders[key] = [stamp, found]
        return found

    def save(self) -> None:
        with self._lock:
            text = json.dumps(dict(version=VERSION, good=self._good, borders=self._borders))
        write_text_atomic(self.path, text)
