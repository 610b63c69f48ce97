"""From the jobs' results to the numbers a comparison needs: per backbone x dataset x label setting, the
runs (split x seed) with top-1, top-5 and mean class accuracy and their mean +- std, and each pretrained
backbone's gain over its random-init baseline and its difference to the reference backbone, paired run by run;
per backbone x dataset the frozen retrieval R@k and linear probe per split and their mean +- std; the job
timings."""
from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np

from .backbone_files import Backbone

FINETUNE_METRICS = {'top1': 'acc/top1', 'top5': 'acc/top5', 'mean_class_acc': 'acc/mean1'}
MULTI_LABEL_METRICS = {'mAP': 'acc/mean_average_precision'}  # a multi-label set's (Charades), where its tests give it
FROZEN_METRICS = ('linear_probe_top1', 'retrieval_R_at_1', 'retrieval_R_at_5', 'retrieval_R_at_10', 'retrieval_R_at_20',
                  'retrieval_R_at_50')


def mean_std(values: Iterable[Optional[float]]) -> Dict[str, float]:
    """Mean and sample standard deviation (0 for a single value) of the values that exist."""
    v = np.asarray([x for x in values if x is not None], dtype=float)
    if v.size == 0:
        return dict(mean=float('nan'), std=float('nan'), n=0)
    return dict(mean=float(v.mean()), std=float(v.std(ddof=1)) if v.size > 1 else 0.0, n=int(v.size))


def _parts(name: str) -> List[str]:
    return name.split('/')


def stopping(train: Dict) -> Dict:
    """Where a fine-tuning run that watched a validation list stopped, and why: ``plateau`` (it stopped
    before its step cap), else ``cap``; the best validation step is the checkpoint that was tested."""
    curve = train.get('val_curve') or []
    if not curve:
        return {}
    best_step, best = max(curve, key=lambda p: (p[1], -p[0]))
    cap = train.get('job', {}).get('units')
    stopped = train.get('last_step') or curve[-1][0]
    return dict(
        val_curve=curve,
        best_step=best_step,
        best_val_top1=best,
        stopped_at=stopped,
        stop_reason='plateau' if cap and stopped < cap else 'cap')


def finetune_table(results: Dict[str, Dict]) -> Dict:
    """``{dataset: {backbone: {label: {runs, summary, per_split}}}}`` from the ``test/...`` jobs."""
    table: Dict = defaultdict(lambda: defaultdict(dict))
    runs: Dict = defaultdict(list)
    for name, result in sorted(results.items()):
        if not name.startswith('test/'):
            continue
        _, dataset, backbone, label, split, seed = _parts(name)
        train = results.get(name.replace('test/', 'finetune/', 1), {})
        run = dict(
            split=int(split[5:]),
            seed=int(seed[4:]),
            **{
                k: result.get(v)
                for k, v in FINETUNE_METRICS.items()
            },
            **{
                k: result[v]
                for k, v in MULTI_LABEL_METRICS.items() if v in result
            },
            loss_curve=train.get('loss_curve'),
            **stopping(train))
        runs[(dataset, backbone, label)].append(run)
    for (dataset, backbone, label), rs in runs.items():
        rs.sort(key=lambda r: (r['split'], r['seed']))
        table[dataset][backbone][label] = dict(
            runs=rs,
            summary={
                k: mean_std(r.get(k) for r in rs)
                for k in [*FINETUNE_METRICS, *(m for m in MULTI_LABEL_METRICS if any(m in r for r in rs))]
            },
            per_split={
                str(s): mean_std(r['top1'] for r in rs if r['split'] == s)
                for s in sorted({r['split']
                                 for r in rs})
            })
    return {d: dict(v) for d, v in table.items()}


def paired_gains(finetune: Dict, backbones: Sequence[Backbone]) -> Dict:
    """``{dataset: {backbone: {label: gain}}}``: each pretrained backbone's fine-tuned top-1 minus that of the
    random-init baseline of its architecture and input (RGB or residual frames), run by run where both ran the
    same split and seed (the same lists and data order, so a split's difficulty cancels): the pairs' mean and std,
    a 95 % t-interval of the mean (the runs taken as independent), and in how many pairs the backbone is ahead.
    An interval that holds 0 means these runs cannot tell the gain from the spread between runs."""
    baselines = {(b.architecture, b.input): b.name for b in backbones if b.is_scratch}
    return _paired(finetune, {b.name: baselines.get((b.architecture, b.input)) for b in backbones if not b.is_scratch})


def paired_to_reference(finetune: Dict, backbones: Sequence[Backbone]) -> Dict:
    """The same pairing as ``paired_gains``, each pretrained backbone against its reference, whatever their
    inputs: the one it names (``Backbone.reference``, e.g. a shortcut's guarded twin), else the first pretrained
    backbone of its architecture (the method the others are variants of, e.g. ``rotnet3d`` in the paper preset).
    A reference gets no row of its own; empty where an architecture has one pretrained backbone."""
    pretrained = [b for b in backbones if not b.is_scratch]
    named = {b.reference for b in pretrained if b.reference}
    first: Dict[str, str] = {}
    for b in pretrained:
        first.setdefault(b.architecture, b.name)
    return _paired(finetune, {b.name: b.reference or first[b.architecture] for b in pretrained if b.name not in named})


def _paired(finetune: Dict, against: Dict[str, Optional[str]]) -> Dict:
    """``{dataset: {backbone: {label: difference}}}`` of each backbone of ``against`` minus the backbone it names,
    run by run over the (split, seed) both ran; a backbone against itself or against none is left out."""
    out: Dict = defaultdict(dict)
    for dataset, table in finetune.items():
        for name, labels in table.items():
            base = against.get(name)
            if base in (None, name) or base not in table:
                continue
            for label, entry in labels.items():
                ref = {(r['split'], r['seed']): r['top1'] for r in table[base].get(label, {}).get('runs', [])}
                diffs = [
                    r['top1'] - ref[(r['split'], r['seed'])] for r in entry['runs']
                    if r.get('top1') is not None and ref.get((r['split'], r['seed'])) is not None
                ]
                if diffs:
                    out[dataset].setdefault(name, {})[label] = dict(baseline=base, **_interval(diffs))
    return dict(out)


def _interval(values: List[float]) -> Dict:
    from scipy.stats import t
    stat = mean_std(values)
    ci95 = None  # one pair: no interval
    if stat['n'] > 1:
        half = float(t.ppf(0.975, stat['n'] - 1)) * stat['std'] / np.sqrt(stat['n'])
        ci95 = [stat['mean'] - half, stat['mean'] + half]
    return dict(**stat, ci95=ci95, ahead=sum(v > 0 for v in values))


def frozen_table(results: Dict[str, Dict]) -> Dict:
    """``{dataset: {backbone: {runs: {split: metrics}, summary: {metric: mean_std}}}}``."""
    table: Dict = defaultdict(dict)
    for name, result in sorted(results.items()):
        if not name.startswith('frozen/'):
            continue
        _, dataset, backbone = _parts(name)
        splits = {k: v for k, v in result.items() if k.startswith('split')}
        table[dataset][backbone] = dict(
            runs=splits, summary={m: mean_std(s.get(m) for s in splits.values())
                                  for m in FROZEN_METRICS})
    return dict(table)


def job_timings(results: Dict[str, Dict]) -> Dict:
    """Per job kind: how many jobs, their summed wall and CPU seconds (jobs run concurrently)."""
    kinds: Dict = defaultdict(lambda: dict(jobs=0, seconds=0.0, cpu_seconds=0.0))
    for result in results.values():
        job = result.get('job')
        if not job or 'seconds' not in job:  # a step run in the orchestrator
            continue
        k = kinds[job['kind']]
        k['jobs'] += 1
        k['seconds'] += job['seconds']
        k['cpu_seconds'] += job.get('cpu_seconds') or 0.0
    return {k: {m: round(v, 1) for m, v in d.items()} for k, d in kinds.items()}


def pretraining_table(results: Dict[str, Dict]) -> Dict:
    """Per pretrained backbone: its loss curve, the held-out validation (all clips, at the end) and the
    pretext accuracy on the actor-free twins."""
    out = {}
    for name, result in results.items():
        if name.startswith('pretrain/'):
            backbone = name.split('/', 1)[1]
            out[backbone] = dict(
                iters=result.get('job', {}).get('units'),
                held_out=result.get('val', {}),
                loss_curve=result.get('loss_curve'),
                actor_free=results.get(f'pretext/{backbone}'),
                export=results.get(f'export/{backbone}'))
            if out[backbone]['actor_free']:
                out[backbone]['actor_free'] = {k: v for k, v in out[backbone]['actor_free'].items() if k != 'job'}
    return out
