"""The benchmark's outputs: a progress line per finished job, the ``--dry-run`` listing, and ``results.json``
(every number, every command, the timings), ``results.md`` and ``results.png``."""
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Dict, List

from ..progress import Progress
from . import aggregate, synthetic_presets
from .jobs import Job, shell_line, write_json_atomic
from .launch import Launcher
from .report import markdown
from .results_plot import write_figure


def progress_line(progress: Progress, scheduler) -> Callable[[Job, Dict], None]:
    """What a finished job found, as one progress line (with the scheduler's job counts and ETA)."""

    def report(job: Job, result: Dict) -> None:
        text = None
        if job.kind in ('test', 'pretext') and any('top1' in k for k in result):
            key = next(k for k in result if k.endswith('/top1'))
            text = f'{job.label}: {key} {result[key] * 100:.1f}%'
        elif job.kind == 'frozen':
            text = f'{job.label}: ' + '; '.join(f"{s} R@1 {m['retrieval_R_at_1'] * 100:.1f}%, probe "
                                                f"{m['linear_probe_top1'] * 100:.1f}%"
                                                for s, m in result.items() if s.startswith('split'))
        elif job.kind == 'finetune' and result.get('val_curve'):
            step, best = max(result['val_curve'], key=lambda p: (p[1], -p[0]))
            text = (f'{job.label}: stopped at step {result["last_step"]}, best validation top-1 '
                    f'{best * 100:.1f}% at step {step}')
        elif job.kind == 'pretrain' and result.get('val'):
            text = f'{job.label}: validation ' + ', '.join(f'{k} {v * 100:.1f}%'
                                                           for k, v in result['val'].items() if k.endswith('top1'))
        if text:
            progress.say(text, len(scheduler.results), scheduler.total, scheduler.eta())

    return report


def print_commands(jobs: List[Job], launcher: Launcher, resources, workers) -> Dict:
    """``--dry-run``: every job's command (placeholders where a value comes from an earlier job)."""
    out = {}
    for job in jobs:
        state = 'done' if job.finished() else 'resume' if job.resumable and job.started_before() else 'todo'
        if job.tool is None:
            line = f'(in the benchmark process: {job.kind} {job.name})'
        else:
            argv = job.argv({}, dry_run=True) + (workers(resources.workers, job.loaders) if workers else [])
            line = shell_line(launcher.command(job.tool, argv, job.name), launcher.env(resources.threads))
        out[job.name] = dict(state=state, command=line)
        print(f'# {job.name} [{state}]\n{line}')
    return out


def summarise(built: Dict, results: Dict, settings: Dict, resources, seconds: float) -> Dict:
    """The results document from the jobs' results (``built``: what ``run.build`` planned)."""
    sets, plan = built['sets'], built['plan']
    finetune = aggregate.finetune_table(results)
    res = dict(
        command=settings.pop('command'),
        datasets=[d.name for d in sets],
        dataset_titles={d.name: d.title
                        for d in sets},
        backbone_order=[b.name for b in built['backbones']],
        settings=dict(
            splits=list(plan.splits),
            seeds=list(plan.seeds),
            labels=[asdict(x) for x in plan.labels],
            sizes=asdict(built['sizes']) if built['sizes'] else None,
            **settings),
        data=built.get('data'),
        resources=asdict(resources),
        backbones={b.name: asdict(b)
                   for b in built['backbones']},
        finetune=finetune,
        finetune_gain=aggregate.paired_gains(finetune, built['backbones']),
        finetune_vs_reference=aggregate.paired_to_reference(finetune, built['backbones']),
        frozen=aggregate.frozen_table(results),
        pretraining=aggregate.pretraining_table(results),
        evaluations={
            name: {
                k: {
                    kk: vv
                    for kk, vv in v.items() if kk != 'job'
                }
                for k, v in results.items() if k.startswith(name + '/')
            }
            for name in built['evaluations']
        },
        jobs={
            k: v['job']
            for k, v in results.items() if 'job' in v
        })
    if built['preset'] == 'demo' and {'scratch', 'rotnet3d'} <= set(res['backbone_order']):
        res['bar'] = synthetic_presets.check_bar(res['finetune']['synthetic'], res['frozen']['synthetic'],
                                                 res['pretraining'])
    res['timing'] = dict(
        total_seconds=round(seconds, 1),
        data_seconds=round(built['data_seconds'], 1),
        jobs=aggregate.job_timings(results))
    return res


def write_results(res: Dict, work: Path, say: Callable[[str], None]) -> None:
    write_json_atomic(work / 'results.json', res)
    text = markdown(res)
    (work / 'results.md').write_text(text)
    write_figure(res, work / 'results.png')
    print(text, flush=True)
    say(f'wrote {work / "results.json"}, {work / "results.md"} and {work / "results.png"}')
