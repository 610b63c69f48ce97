"""The preflight of a video list before a long run (what ``tools/check_dataset.py`` prints): every line and
video checked, in threads, each verdict remembered (``check_cache``); and the bars and overlays of the good
videos measured (``--borders``), for the share of the list a rotation pretext could solve from them."""
import json
import os.path as osp
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, Iterator, List, Optional, Sequence, TextIO, Tuple

from mmrot3d.datasets.checks import check_video, video_borders
from mmrot3d.datasets.video_list import Entry, read_video_list
from mmrot3d.utils.atomic_io import write_text_atomic
from .check_cache import CheckCache
from .progress import CountProgress


def _check_entry(path: str, min_frames: int, cache: Optional[CheckCache]) -> Optional[str]:
    try:
        return cache.check(path, min_frames, check_video) if cache else check_video(path, min_frames)
    except Exception as err:  # a preflight must report, never crash on the file it checks
        return f'check failed ({type(err).__name__}: {err})'


def scan_entries(entries: Sequence[Entry],
                 data_prefix: str = '',
                 min_frames: int = 1,
                 workers: int = 1,
                 progress: Optional[Callable[[int, int], None]] = None,
                 cache: Optional[CheckCache] = None) -> Iterator[Tuple[Entry, Optional[str]]]:
    """Yield ``(entry, reason)`` for every entry (``reason`` None when good; a malformed line's reason is
    its parse error), checking files in ``workers`` threads (decord decodes without the GIL, so threads
    scale like processes, and a process holding torch's thread pools cannot safely fork); each file once."""
    reasons = {i: e.error for i, e in enumerate(entries) if e.error is not None}
    paths = {i: osp.join(data_prefix, e.path) for i, e in enumerate(entries) if e.error is None}
    unique = sorted(set(paths.values()))
    done = len(reasons)
    if progress:
        progress(done, len(entries))
    verdicts = {}
    with ThreadPoolExecutor(max(1, workers)) as pool:
        for path, reason in zip(unique, pool.map(lambda p: _check_entry(p, min_frames, cache), unique)):
            verdicts[path] = reason
            if progress:
                progress(done + len(verdicts), done + len(unique))
    for index, entry in enumerate(entries):
        yield entry, reasons[index] if index in reasons else verdicts[paths[index]]


def _measure(path: str) -> Dict:
    try:
        return video_borders(path).to_dict()
    except Exception as err:  # a preflight must report, never crash on the file it measures
        return dict(error=f'{type(err).__name__}: {err}')


def measure_borders(paths: Sequence[str],
                    workers: int = 1,
                    progress: Optional[Callable[[int, int], None]] = None,
                    cache: Optional[CheckCache] = None) -> Dict[str, Dict]:
    """``{path: Borders as a dict}`` for every video of ``paths`` (a video that could not be measured: ``{error}``),
    measured in ``workers`` threads, each file once."""
    unique = sorted(set(paths))
    found = {}
    with ThreadPoolExecutor(max(1, workers)) as pool:
        measured = pool.map(lambda p: cache.borders(p, _measure) if cache else _measure(p), unique)
        for done, (path, borders) in enumerate(zip(unique, measured), 1):
            found[path] = borders
            if progress:
                progress(done, len(unique))
    return found


def borders_summary(found: Dict[str, Dict], named: int = 3) -> Dict:
    """How many of the measured videos have bars (letterbox: top/bottom; pillarbox: left/right) and a static
    overlay, their share, and the first few of each by name."""
    measured = {p: b for p, b in found.items() if 'error' not in b}
    letterbox = sorted(p for p, b in measured.items() if b['top'] or b['bottom'])
    pillarbox = sorted(p for p, b in measured.items() if b['left'] or b['right'])
    overlay = sorted(p for p, b in measured.items() if b['overlay'])
    total = max(1, len(measured))
    return dict(
        videos=len(measured),
        bars=len(set(letterbox) | set(pillarbox)),
        letterbox=len(letterbox),
        pillarbox=len(pillarbox),
        bars_share=len(set(letterbox) | set(pillarbox)) / total,
        overlay=len(overlay),
        overlay_share=len(overlay) / total,
        examples=dict(letterbox=letterbox[:named], pillarbox=pillarbox[:named], overlay=overlay[:named]))


def borders_line(summary: Dict) -> str:
    """One line: ``bars: 12 of 400 videos (3.0 %: 10 letterbox, 2 pillarbox, e.g. ...); static overlay: ...``."""
    examples = summary['examples']
    named = ', '.join(examples['letterbox'][:2] + examples['pillarbox'][:1])
    overlays = ', '.join(examples['overlay'][:2])
    return (f'bars: {summary["bars"]} of {summary["videos"]} videos '
            f'({summary["bars_share"]:.1%}: {summary["letterbox"]} letterbox, {summary["pillarbox"]} pillarbox'
            f'{", e.g. " + named if named else ""}); static overlay: {summary["overlay"]} '
            f'({summary["overlay_share"]:.1%}{", e.g. " + overlays if overlays else ""})')


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
                  borders: Optional[str] = None,
                  out: Optional[TextIO] = None,
                  err: Optional[TextIO] = None) -> int:
    """Check every line and video of ``ann_file``; print each bad one as ``LIST:LINE: path: reason`` and a summary.

    Args:
        min_frames: frames a video needs (``clip_len * frame_interval``, as SampleFrames counts them).
        write_clean: also write the good lines, unchanged, to this file.
        borders: also measure the good videos' bars and overlays, print their share of the list, and write
            ``{video path as the dataset joins it: Borders}`` to this JSON file (``CropBorders(bars_file=...)``).
        out, err: where the report and the progress go (default: ``sys.stdout``/``sys.stderr`` at the call, so
            that a redirection of them applies).

    Returns:
        the exit status: 0 all good, 1 some entries bad.
    """
    out, err = out or sys.stdout, err or sys.stderr
    good, bad = check_list(ann_file, data_prefix, min_frames, workers, num_classes, delimiter, require_label,
                           CountProgress('check', 0, 'videos', stream=err))
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
    if borders:
        paths = [osp.abspath(osp.join(data_prefix, e.path)) for e in good]
        found = measure_borders(paths, workers, CountProgress('borders', len(set(paths)), 'videos', stream=err))
        write_text_atomic(borders, json.dumps(found, indent=1))
        print(f'{borders_line(borders_summary(found))}; every video in {borders}', file=out)
    return 1 if bad else 0
