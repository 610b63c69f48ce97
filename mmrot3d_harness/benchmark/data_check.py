"""The benchmark's data check, before any job: every video of every list the jobs will read (the
fine-tuning, test and frozen-feature jobs' lists, and a ``--pretrain-config``'s own) is opened, counted and
has its first, middle and last frame decoded (the checks of ``tools/check_dataset.py``), in parallel;
videos found good are remembered in the work dir by path, size and mtime, so a rerun costs one ``stat`` per
video.

Any bad entry of an evaluation list stops the benchmark with one line: how many, in which lists, and where
every one is listed as ``LIST:LINE: path: reason``. With ``--skip-bad`` the lists without their bad entries
(written once under the work dir, named by their content) are what every backbone's jobs read -- training
and testing alike, so the numbers stay comparable -- and ``results.json``/``results.md`` say how many each
list lost. A list that would lose more than the ``--skip-bad`` limit, or all of its videos, stops the
benchmark either way. Pretraining on scraped videos skips bad ones by design (``RobustVideoDataset``): its
lists stop the benchmark only with more bad entries than the config's ``max_bad_fraction``, where the
pretraining itself would stop hours later.
"""
import hashlib
import json
import os.path as osp
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from mmrot3d.datasets.checks import missing_videos_hint, sampled_window
from mmrot3d.datasets.video_list import read_video_list, write_lines
from mmrot3d.utils.atomic_io import write_text_atomic
from ..check_cache import CheckCache
from ..cores import available_cores
from ..list_check import bad_entry_line, borders_line, borders_summary, measure_borders, scan_entries
from ..progress import CountProgress
from .labelled_sets import LabelledSet
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


@dataclass(frozen=True)
class ListUse:
    """A video list the benchmark's jobs read.

    Args:
        group: the labelled set's name, or ``pretraining``.
        max_bad: the share of bad entries its jobs tolerate by design (a pretraining config's
            ``max_bad_fraction``: the run skips them); None for the evaluation lists, whose bad entries stop
            the benchmark unless ``--skip-bad`` leaves them out.
        multi_class: lines with several labels (Charades).
    """
    group: str
    list: str
    video_root: str
    min_frames: int
    num_classes: Optional[int] = None
    max_bad: Optional[float] = None
    multi_class: bool = False


def evaluation_uses(data: LabelledSet, splits: Sequence[int], cfg_options: Sequence[str]) -> List[ListUse]:
    """The training and test lists of ``data``'s splits (the fine-tuning, test and frozen-feature jobs)."""
    min_frames = required_frames(merged_config(data.config_path(splits[0]), list(cfg_options)))
    lists = dict.fromkeys(p for s in splits for p in data.official_lists(s))
    return [
        ListUse(data.name, p, str(data.video_root), min_frames, data.num_classes, multi_class=data.multi_class)
        for p in lists
    ]


def pretraining_uses(configs: Sequence[str]) -> List[ListUse]:
    """The training and validation lists of pretraining configs, as the configs give them."""
    uses = {}
    for config in configs:
        cfg = merged_config(config, [])
        for loader in ('train_dataloader', 'val_dataloader'):
            dataset = (cfg.get(loader) or {}).get('dataset')
            if not dataset or not dataset.get('ann_file'):
                continue
            robust = dataset.get('type') == 'RobustVideoDataset'
            need = int(dataset.get('min_frames') or sampled_window(dataset.get('pipeline') or [])) if robust else 1
            use = ListUse(
                'pretraining',
                str(dataset.ann_file),
                str((dataset.get('data_prefix') or {}).get('video', '')),
                need,
                max_bad=float(dataset.get('max_bad_fraction', 0.01)) if robust else 0.0)
            uses[(use.list, use.video_root)] = use
    return list(uses.values())


def _check(uses: Sequence[ListUse], cache: CheckCache, workers: int) -> List[Tuple[ListUse, list]]:
    """``[(use, [(entry, reason)])]``; the lists of one video folder in one parallel pass (each video once)."""
    found = {}
    for root, need in dict.fromkeys((u.video_root, u.min_frames) for u in uses):
        group = [u for u in uses if (u.video_root, u.min_frames) == (root, need)]
        per_list = [read_video_list(u.list, multi_class=u.multi_class, num_classes=u.num_classes) for u in group]
        flat = [e for entries in per_list for e in entries]
        reasons = [r for _, r in scan_entries(flat, root, need, workers, CountProgress('check', 0, 'videos'), cache)]
        start = 0
        for use, entries in zip(group, per_list):
            found[use] = list(zip(entries, reasons[start:start + len(entries)]))
            start += len(entries)
    return [(u, found[u]) for u in uses]


def _filtered_list(out_dir: Path, official: str, lines: List[str]) -> str:
    """The list without its bad lines, named by its content: jobs that read another version of it (the data
    changed between runs) have other arguments, and the scheduler refuses to mix them with these."""
    text = ''.join(f'{line}\n' for line in lines)
    path = out_dir / f'{Path(official).stem}.{hashlib.sha256(text.encode()).hexdigest()[:8]}.txt'
    if not path.is_file():
        write_lines(path, lines)
    return str(path)


def check_sets(sets: Sequence[LabelledSet],
               splits: Sequence[int],
               cfg_options: Sequence[str],
               work_dir: Path,
               skip_bad: Optional[float],
               say: Callable[[str], None],
               pretraining: Sequence[ListUse] = (),
               workers: Optional[int] = None) -> Tuple[List[LabelledSet], Dict]:
    """Check every video of ``sets``' lists (and of the ``pretraining`` lists); returns the sets as the jobs
    read them, and the record of the check for ``results.json`` (``data``).

    Args:
        skip_bad: None: any bad entry of an evaluation list stops (``BadDataError``); a fraction: bad entries
            are left out of every list, unless a list would lose more than that fraction of its entries.
            Pretraining lists keep their bad entries (the run skips them) unless there are more than their
            config tolerates.
    """
    folder = work_dir / 'data_check'
    cache = CheckCache(str(folder / 'checked_videos.json'))
    report = folder / 'bad_videos.txt'
    started = time.monotonic()
    uses = [u for data in sets for u in evaluation_uses(data, splits, cfg_options)] + list(pretraining)
    missing = next((u for u in uses if not Path(u.list).is_file()), None)
    if missing:
        raise BadDataError(f'{missing.list}: video list not found ({missing.group})')
    checked = _check(uses, cache, workers or available_cores())
    cache.save()
    bad_lines = [bad_entry_line(u.list, e, r) for u, results in checked for e, r in results if r is not None]
    say(f'data: checked {sum(len(r) for _, r in checked)} list entries in {time.monotonic() - started:.1f} s '
        f'({cache.hits} videos known good from an earlier run), {len(bad_lines)} bad')
    if bad_lines:
        write_lines(report, bad_lines)
    elif report.exists():
        report.unlink()  # from an earlier run, before the data was repaired
    _stop_if_hopeless(checked, report, skip_bad)
    evaluation = [(u, results) for u, results in checked if u.max_bad is None]
    if skip_bad is None and any(r is not None for _, results in evaluation for _, r in results):
        raise BadDataError(_summary(evaluation, report))
    replaced = {
        u.list: _filtered_list(folder / u.group, u.list, [e.text for e, r in results if r is None])
        for u, results in evaluation if any(r is not None for _, r in results)
    }
    borders = _borders(checked, cache, folder, workers or available_cores(), say)
    records = [
        dict(
            dataset=u.group,
            list=u.list,
            used=replaced.get(u.list, u.list),
            entries=len(results),
            bad=sum(r is not None for _, r in results),
            min_frames=u.min_frames,
            borders=borders[u.list]) for u, results in checked
    ]
    out = []
    for data in sets:
        mine = {p for s in splits for p in data.official_lists(s)}
        out.append(replace(data, replaced={k: v for k, v in replaced.items() if k in mine}))
    return out, dict(skip_bad=skip_bad, bad_videos=str(report) if bad_lines else None, lists=records)


def _borders(checked, cache: CheckCache, folder: Path, workers: int, say: Callable[[str], None]) -> Dict[str, Dict]:
    """The bars and overlays of every good video (``folder/borders.json``), and per list their share."""
    paths = {
        u.list: [osp.abspath(osp.join(u.video_root, e.path)) for e, r in results if r is None]
        for u, results in checked
    }
    every = sorted({p for ps in paths.values() for p in ps})
    found = measure_borders(every, workers, CountProgress('borders', len(every), 'videos'), cache)
    cache.save()
    write_text_atomic(str(folder / 'borders.json'), json.dumps(found, indent=1))
    summaries = {}
    for name, listed in paths.items():
        summaries[name] = borders_summary({p: found[p] for p in listed})
        if summaries[name]['bars'] or summaries[name]['overlay']:
            say(f'data: {osp.basename(name)}: {borders_line(summaries[name])} (every video: {folder}/borders.json)')
    return summaries


def _summary(checked, report: Path) -> str:
    """The one line that stops a benchmark with bad entries."""
    counts = Counter({u.list: sum(r is not None for _, r in results) for u, results in checked})
    bad = [(u, e, r) for u, results in checked for e, r in results if r is not None]
    videos = {(u.video_root, e.path or f'{u.list}:{e.lineno}') for u, e, _ in bad}
    where = ', '.join(f'{osp.basename(p)}: {n}' for p, n in counts.items() if n)
    first = bad_entry_line(bad[0][0].list, bad[0][1], bad[0][2])
    return (f'{len(videos)} listed video(s) are bad ({where}); first: {first}; all are '
            f'listed as LIST:LINE: path: reason in {report}. Repair or remove them, or run again with --skip-bad '
            'to leave them out of training and testing for every backbone (results.json/md record how many)')


def _stop_if_hopeless(checked, report: Path, skip_bad: Optional[float]) -> None:
    """A list all of whose entries are bad (a wrong --data-root, most likely), a pretraining list with more
    bad entries than its config tolerates, or with --skip-bad an evaluation list that would lose more than
    the limit, stops the benchmark with one line."""
    for use, results in checked:
        bad = [(e, r) for e, r in results if r is not None]
        if results and len(bad) == len(results):
            entry, reason = bad[0]
            hint = missing_videos_hint(use.video_root, [e.path for e, _ in bad]) if reason == 'missing' else ''
            raise BadDataError(f'{use.list}: none of its {len(results)} entries is usable (first: '
                               f'{bad_entry_line(use.list, entry, reason)})' +
                               (f'; {hint}' if hint else f'; are the videos under {use.video_root}?'))
        if use.max_bad is not None and len(bad) > use.max_bad * len(results):
            raise BadDataError(f'{use.list}: {len(bad)} of {len(results)} entries are bad, more than the pretraining '
                               f'config allows (max_bad_fraction={use.max_bad:.0%}: its run would stop there); they '
                               f'are listed in {report}')
        if use.max_bad is None and skip_bad is not None and len(bad) > skip_bad * len(results):
            raise BadDataError(f'{use.list}: {len(bad)} of {len(results)} entries are bad, more than --skip-bad '
                               f'leaves out ({skip_bad:.0%}); they are listed in {report}. That many left out '
                               'departs from the benchmark\'s protocol: repair the data, or give a higher limit '
                               '(e.g. --skip-bad 0.5)')
