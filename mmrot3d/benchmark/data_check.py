"""The benchmark's data check, before any job: every video of every list the fine-tuning, test and
frozen-feature jobs will read is opened, counted and has its first, middle and last frame decoded (the
checks of ``tools/check_dataset.py``), in parallel; videos found good are remembered in the work dir by
path, size and mtime, so a rerun costs one ``stat`` per video.

Any bad entry stops the benchmark with one line: how many, in which lists, and where every one is listed
as ``LIST:LINE: path: reason``. With ``--skip-bad`` the lists without their bad entries (written once under
the work dir, named by their content) are what every backbone's jobs read -- training and testing alike,
so the numbers stay comparable -- and ``results.json``/``results.md`` say how many each list lost. A list
that loses more than the ``--skip-bad`` limit, or all of its videos, stops the benchmark either way.
"""
import dataclasses
import hashlib
import os.path as osp
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..datasets.checks import (CheckCache, bad_entry_line, missing_videos_hint, progress_printer, sampled_window,
                               scan_entries)
from ..datasets.video_list import read_video_list, write_lines
from ..utils.cores import available_cores
from .datasets import LabelledSet
from .plan import merged_config

SKIP_BAD_LIMIT = 0.1  # --skip-bad without a value: at most 10 % of a list left out


class BadDataError(ValueError):
    """Bad videos in the benchmark's lists (one line: how many, where they are listed, what to do)."""


def required_frames(cfg) -> int:
    """Frames a video needs in a fine-tuning config's datasets: RobustVideoDataset's ``min_frames`` (else its
    sampled window); 1 for other datasets (SampleFrames loops short videos)."""
    need = 1
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = (cfg.get(loader) or {}).get('dataset') or {}
        if dataset.get('type') == 'RobustVideoDataset':
            need = max(need, int(dataset.get('min_frames') or sampled_window(dataset.get('pipeline') or [])))
    return need


def _filtered_list(out_dir: Path, official: str, lines: List[str]) -> str:
    """The list without its bad lines, named by its content: jobs that read another version of it (the data
    changed between runs) have other arguments, and the scheduler refuses to mix them with these."""
    text = ''.join(f'{line}\n' for line in lines)
    path = out_dir / f'{Path(official).stem}.{hashlib.sha256(text.encode()).hexdigest()[:8]}.txt'
    if not path.is_file():
        write_lines(path, lines)
    return str(path)


def _check_set(data: LabelledSet, splits: Sequence[int], min_frames: int, cache: CheckCache, workers: int):
    """``[(official list, [(entry, reason)])]`` for every list of ``data``'s splits (each video checked once)."""
    lists = list(dict.fromkeys(p for s in splits for p in data.official_lists(s)))
    per_list = [read_video_list(p, num_classes=data.num_classes) for p in lists]
    flat = [e for entries in per_list for e in entries]
    reasons = [
        r for _, r in scan_entries(flat, str(data.video_root), min_frames, workers, progress_printer(sys.stderr), cache)
    ]
    out, start = [], 0
    for path, entries in zip(lists, per_list):
        out.append((path, list(zip(entries, reasons[start:start + len(entries)]))))
        start += len(entries)
    return out


def check_sets(sets: Sequence[LabelledSet],
               splits: Sequence[int],
               cfg_options: Sequence[str],
               work_dir: Path,
               skip_bad: Optional[float],
               say: Callable[[str], None],
               workers: Optional[int] = None) -> Tuple[List[LabelledSet], Dict]:
    """Check every video of ``sets``' lists; returns the sets as the jobs read them, and the record of the
    check for ``results.json`` (``data``).

    Args:
        skip_bad: None: any bad entry stops (``BadDataError``); a fraction: bad entries are left out of
            every list, unless a list would lose more than that fraction of its entries.
    """
    folder = work_dir / 'data_check'
    cache = CheckCache(str(folder / 'checked_videos.json'))
    workers = workers or available_cores()
    report = folder / 'bad_videos.txt'
    checked, bad_lines, records = [], [], []
    started = time.monotonic()
    for data in sets:
        min_frames = required_frames(merged_config(data.config_path(splits[0]), list(cfg_options)))
        found = _check_set(data, splits, min_frames, cache, workers)
        checked.append((data, found))
        for path, results in found:
            bad = [(e, r) for e, r in results if r is not None]
            bad_lines += [bad_entry_line(path, e, r) for e, r in bad]
            records.append(
                dict(dataset=data.name, list=path, entries=len(results), bad=len(bad), min_frames=min_frames))
    cache.save()
    videos = sum(r['entries'] for r in records)
    say(f'data: checked {videos} list entries in {time.monotonic() - started:.1f} s ({cache.hits} videos known good '
        f'from an earlier run), {len(bad_lines)} bad')
    if bad_lines:
        write_lines(report, bad_lines)
    elif report.exists():
        report.unlink()  # from an earlier run, before the data was repaired
    _stop_if_hopeless(checked, report, skip_bad)
    if bad_lines and skip_bad is None:
        raise BadDataError(_summary(checked, report))
    out = []
    for data, found in checked:
        replaced = {
            path: _filtered_list(folder / data.name, path, [e.text for e, r in results if r is None])
            for path, results in found if any(r is not None for _, r in results)
        }
        out.append(dataclasses.replace(data, replaced=replaced))
        for record in records:
            if record['dataset'] == data.name:
                record['used'] = replaced.get(record['list'], record['list'])
    return out, dict(skip_bad=skip_bad, bad_videos=str(report) if bad_lines else None, lists=records)


def _summary(checked, report: Path) -> str:
    """The one line that stops a benchmark with bad entries."""
    counts, first, total = Counter(), None, set()
    for data, found in checked:
        for path, results in found:
            for entry, reason in results:
                if reason is not None:
                    counts[path] += 1
                    total.add((data.name, entry.path or f'{path}:{entry.lineno}'))
                    first = first or bad_entry_line(path, entry, reason)
    where = ', '.join(f'{osp.basename(p)}: {n}' for p, n in counts.items())
    return (f'{len(total)} listed video(s) are bad ({where}); first: {first}; all are '
            f'listed as LIST:LINE: path: reason in {report}. Repair or remove them, or run again with --skip-bad '
            'to leave them out of training and testing for every backbone (results.json/md record how many)')


def _stop_if_hopeless(checked, report: Path, skip_bad: Optional[float]) -> None:
    """A list all of whose entries are bad (a wrong --data-root, most likely), or, with --skip-bad, one that
    would lose more than the limit, stops the benchmark with one line."""
    for data, found in checked:
        for path, results in found:
            bad = [(e, r) for e, r in results if r is not None]
            if results and len(bad) == len(results):
                entry, reason = bad[0]
                hint = missing_videos_hint(str(data.video_root), [e.path for e, _ in bad]) if reason == 'missing' \
                    else ''
                raise BadDataError(f'{path}: none of its {len(results)} entries is usable (first: '
                                   f'{bad_entry_line(path, entry, reason)})' +
                                   (f'; {hint}' if hint else f'; is --data-root {data.root} right?'))
            if skip_bad is not None and len(bad) > skip_bad * len(results):
                raise BadDataError(f'{path}: {len(bad)} of {len(results)} entries are bad, more than --skip-bad '
                                   f'leaves out ({skip_bad:.0%}); they are listed in {report}. That many left out '
                                   'is no longer the benchmark\'s protocol: repair the data, or give a higher limit '
                                   '(e.g. --skip-bad 0.5)')
