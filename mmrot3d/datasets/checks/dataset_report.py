"""The preflight of a video list before a long run (what ``tools/check_dataset.py`` prints)."""
import sys
import time
from typing import List, Optional, TextIO, Tuple

from ..video_list import Entry, read_video_list
from .check_cache import CheckCache
from .video_files import scan_entries


def progress_printer(stream: TextIO):
    """A ``progress(done, total)`` that keeps one line on ``stream`` up to date: count, rate, ETA."""
    started, last = time.monotonic(), [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] > 0.5:
            last[0] = now
            rate = done / max(now - started, 1e-6)
            eta = (total - done) / rate if rate > 0 else 0
            print(
                f'\rchecked {done}/{total} ({rate:.0f}/s, eta {eta:.0f}s)',
                end='\n' if done == total else '',
                file=stream,
                flush=True)

    return progress


def bad_entry_line(ann_file: str, entry: Entry, reason: str) -> str:
    """``LIST:LINE: path: reason`` (a malformed line: ``LIST:LINE: malformed line 'text': reason``)."""
    where = f'{ann_file}:{entry.lineno}'
    if entry.error is None:
        return f'{where}: {entry.path}: {reason}'
    return f'{where}: malformed line {entry.text!r}: {reason}'


def check_list(ann_file: str,
               data_prefix: str = '',
               min_frames: int = 1,
               workers: int = 1,
               num_classes: Optional[int] = None,
               delimiter: str = ' ',
               require_label: bool = True,
               progress=None,
               cache: Optional[CheckCache] = None) -> Tuple[List[Entry], List[Tuple[Entry, str]]]:
    """Every line and video of ``ann_file`` checked: ``(good entries, [(bad entry, reason)])`` in list order."""
    entries = read_video_list(ann_file, delimiter, num_classes=num_classes, require_label=require_label)
    good, bad = [], []
    for entry, reason in scan_entries(entries, data_prefix, min_frames, max(1, workers), progress, cache):
        if reason is None:
            good.append(entry)
        else:
            bad.append((entry, reason))
    return good, bad


def check_dataset(ann_file: str,
                  data_prefix: str = '',
                  min_frames: int = 1,
                  workers: int = 1,
                  num_classes: Optional[int] = None,
                  delimiter: str = ' ',
                  require_label: bool = True,
                  write_clean: Optional[str] = None,
                  out: Optional[TextIO] = None,
                  err: Optional[TextIO] = None) -> int:
    """Check every line and video of ``ann_file``; print each bad one as ``LIST:LINE: path: reason`` and a summary.

    Args:
        min_frames: frames a video needs (``clip_len * frame_interval``, as SampleFrames counts them).
        write_clean: also write the good lines, unchanged, to this file.
        out, err: where the report and the progress go (default: ``sys.stdout``/``sys.stderr`` at the call, so
            that a redirection of them applies).

    Returns:
        the exit status: 0 all good, 1 some entries bad.
    """
    out, err = out or sys.stdout, err or sys.stderr
    good, bad = check_list(ann_file, data_prefix, min_frames, workers, num_classes, delimiter, require_label,
                           progress_printer(err))
    for entry, reason in bad:
        print(bad_entry_line(ann_file, entry, reason), file=out)
    if write_clean:
        with open(write_clean, 'w') as f:
            f.writelines(entry.text + '\n' for entry in good)
    kinds = {}
    for _, reason in bad:
        kind = reason.split(' (')[0].split(':')[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    summary = ', '.join(f'{n} {k}' for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    print(
        f'{len(good)} good, {len(bad)} bad of {len(good) + len(bad)} entries' + (f' ({summary})' if bad else '') +
        (f'; good lines written to {write_clean}' if write_clean else ''),
        file=out)
    return 1 if bad else 0
