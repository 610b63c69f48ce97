"""One benchmark run: data, backbones checked, jobs planned, run (or printed), results aggregated and reported.

Presets: ``ucf101`` and ``hmdb51`` (one or both; the fine-tuning configs' own protocol, no recipe search),
``synthetic`` (the main job: generated data, 3DRotNet pretraining, recipes chosen on validation) and
``synthetic-paper`` (the paper's comparison on the synthetic data).
"""
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from . import aggregate, datasets, synthetic
from .backbones import SCRATCH, Backbone, export_pretrained, preflight, resolve_config
from .figure import write_figure
from .jobs import Job, shell_line, write_json_atomic
from .launch import Launcher
from .outputs import collect_training
from .plan import LabelSetting, Plan, finetune_jobs, frozen_job, merged_config, parse_options
from .progress import Progress
from .report import markdown
from .resources import available_cores, plan_resources
from .scheduler import Scheduler
from .speedups import speed_up_config_handling

SYNTHETIC_PRESETS = ('synthetic', 'synthetic-paper')
REAL = {'ucf101': datasets.ucf101, 'hmdb51': datasets.hmdb51}
# Evaluations of every backbone beside fine-tuning: name -> (plan, dataset, backbone) -> Job or None (not
# applicable). Results land in results.json under evaluations/<name>/<dataset>/<backbone>; 'frozen' also
# feeds the retrieval / linear-probe tables. Add a measurement here to run it for every backbone.
EVALUATIONS: Dict[str, Callable[[Plan, datasets.LabelledSet, Backbone], Optional[Job]]] = {'frozen': frozen_job}
# First guesses of seconds per unit (iteration or batch) on one core for the ETA before a kind has run.
PRIORS = dict(pretrain=0.6, select=0.2, finetune=0.2, test=0.35, frozen=0.5, pretext=0.6)


@dataclass
class Options:
    """What ``tools/benchmark.py`` parsed (see its ``--help``)."""
    datasets: List[str]
    work_dir: str
    data_roots: Dict[str, str] = field(default_factory=dict)
    backbones: Dict[str, str] = field(default_factory=dict)
    prefixes: Dict[str, str] = field(default_factory=dict)
    pretrain_configs: Dict[str, str] = field(default_factory=dict)
    scratch: bool = True
    splits: List[int] = field(default_factory=lambda: [1, 2, 3])
    seeds: Optional[List[int]] = None
    fractions: List[float] = field(default_factory=list)
    samples: List[int] = field(default_factory=list)
    cfg_options: List[str] = field(default_factory=list)
    launcher: str = 'none'
    gpus: int = 1
    partition: Optional[str] = None
    srun_args: List[str] = field(default_factory=list)
    jobs: Optional[int] = None
    dry_run: bool = False
    tiny: bool = False
    data_workers: Optional[int] = None


def _backbones(o: Options, preset: Optional[str]) -> List[Backbone]:
    found = [Backbone(SCRATCH)] if o.scratch else []
    configs = dict(rotnet3d=datasets.SYNTHETIC_PRETRAIN) if preset == 'synthetic' else \
        dict(synthetic.PAPER_VARIANTS) if preset == 'synthetic-paper' else {}
    configs.update(o.pretrain_configs)
    found += [Backbone(name, pretrain_config=resolve_config(config, f'--pretrain-config {name}='))
              for name, config in configs.items()]
    found += [Backbone(name, path=path, prefix=o.prefixes.get(name, 'backbone.')) for name, path in o.backbones.items()]
    names = [b.name for b in found]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        raise ValueError(f'backbone name {dup} given twice (scratch is built in)')
    unknown = sorted(set(o.prefixes) - set(o.backbones))
    if unknown:
        raise ValueError(f'--prefix {unknown[0]}=...: no --backbone {unknown[0]}=PATH')
    if not found:
        raise ValueError('nothing to benchmark: give --backbone NAME=PATH or --pretrain-config, or drop --no-scratch')
    return found


def _worker_options(workers: int, loaders: Sequence[str]) -> List[str]:
    words = ['--cfg-options']
    for loader in loaders:
        words += [f'{loader}_dataloader.num_workers={workers}', f'{loader}_dataloader.persistent_workers={workers > 0}']
    return words


def _generic_pretrain(plan: Plan, backbone: Backbone, finetune_config: str) -> List[Job]:
    """``tools/train.py CONFIG`` with the config's own data, then export (UCF101/HMDB51 presets)."""
    work, out = plan.jobs_dir() / 'pretrain' / backbone.name, plan.work_dir / 'backbones' / f'{backbone.name}.pth'
    cfg = merged_config(backbone.pretrain_config, [])
    units = int(cfg.train_cfg.get('max_iters') or cfg.train_cfg.get('max_epochs', 1))
    plan.backbone_files[backbone.name], plan.backbone_after[backbone.name] = str(out), f'export/{backbone.name}'
    return [Job(f'pretrain/{backbone.name}', 'pretrain', work, 'tools/train.py',
                [backbone.pretrain_config, '--work-dir', str(work)], units=units, collect=collect_training,
                resumable=True, label=f'pretrain {backbone.name}'),
            Job(f'export/{backbone.name}', 'export', plan.work_dir / 'backbones' / backbone.name,
                after=[f'pretrain/{backbone.name}'],
                call=lambda results: export_pretrained(work, out, finetune_config, parse_options(plan.options)))]


def build(o: Options, say: Callable[[str], None]) -> Dict:
    """Everything up to the job list: data, checks, plan. Returns dict(jobs, plan, sets, backbones, ...)."""
    preset = o.datasets[0] if o.datasets[0] in SYNTHETIC_PRESETS else None
    if preset and len(o.datasets) > 1:
        raise ValueError(f'{preset} is a preset of its own; run it alone')
    sizes = synthetic.TINY if o.tiny else synthetic.DEMO
    work = Path(o.work_dir).resolve()
    data_seconds = 0.0
    if preset:
        root = o.data_roots.get(preset, 'data/synthetic')
        if not o.dry_run:
            t0 = time.monotonic()
            say(f'data: generating (or reusing) {root}: {sizes.pretrain_clips} pretraining clips, '
                f'{sizes.clips_per_class} labelled clips per class')
            datasets.prepare_synthetic(root, pretrain_clips=sizes.pretrain_clips, clips_per_class=sizes.clips_per_class,
                                       groups=sizes.groups, workers=o.data_workers)
            data_seconds = time.monotonic() - t0
        sets = [datasets.synthetic(root)]
    else:
        sets = [REAL[d](o.data_roots.get(d, f'data/{d}')) for d in o.datasets]
    for data in sets:
        missing = data.missing_lists(o.splits)
        if missing and not (preset and o.dry_run):
            raise FileNotFoundError(missing)
    backbones = _backbones(o, preset)
    seeds = o.seeds if o.seeds is not None else ([0, 1, 2] if preset == 'synthetic-paper' or not preset else [0])
    # fewer labels first; all labels always (the main table's column)
    labels = [LabelSetting(fraction=f) for f in sorted(set(o.fractions)) if f < 1] + \
        [LabelSetting(samples=n) for n in sorted(set(o.samples))] + [LabelSetting()]
    plan = Plan(work, o.splits, seeds, labels, list(o.cfg_options), dry_run=o.dry_run,
                frozen_clips=sizes.test_clips if preset else None)
    configs = [d.config_path(s) for d in sets for s in o.splits]
    say(f'checking {len(backbones)} backbone(s) against {configs[0]}' + (' ...' if len(set(configs)) > 1 else ''))
    plan.backbone_files.update(preflight(backbones, sorted(set(configs)), parse_options(o.cfg_options),
                                         work / 'backbones', install_files=not o.dry_run))
    jobs: List[Job] = []
    for b in [b for b in backbones if b.pretrain_config]:
        if preset:
            jobs += synthetic.pretrain_jobs(plan, b, o.data_roots.get(preset, 'data/synthetic'), configs[0], sizes,
                                            seed=seeds[0])
        else:
            jobs += _generic_pretrain(plan, b, configs[0])
    if preset:
        plan.extra, plan.validate = synthetic.iteration_options(sizes.finetune_iters), False
        if sizes.test_clips:
            plan.extra.append(f'test_dataloader.dataset.pipeline.1.num_clips={sizes.test_clips}')
        for b in backbones:
            jobs += synthetic.selection_jobs(plan, sets[0], b, sizes, seeds[0])
    for data in sets:
        for b in backbones:
            jobs += finetune_jobs(plan, data, b)
            jobs += [j for j in (make(plan, data, b) for make in EVALUATIONS.values()) if j is not None]
    return dict(jobs=jobs, plan=plan, sets=sets, backbones=backbones, preset=preset, sizes=sizes,
                data_seconds=data_seconds)


def _on_done(progress: Progress, scheduler_ref: List) -> Callable[[Job, Dict], None]:
    def report(job: Job, result: Dict) -> None:
        text = None
        if job.kind in ('test', 'pretext') and any('top1' in k for k in result):
            key = next(k for k in result if k.endswith('/top1'))
            text = f'{job.label}: {key} {result[key] * 100:.1f}%'
        elif job.kind == 'frozen':
            text = f'{job.label}: ' + '; '.join(f"{s} R@1 {m['retrieval_R_at_1'] * 100:.1f}%, probe "
                                                f"{m['linear_probe_top1'] * 100:.1f}%" for s, m in result.items()
                                                if s.startswith('split'))
        elif job.kind == 'choose':
            text = f'{job.name}: chose AdamW lr {result["chosen"]["lr"]:g}, backbone x{result["chosen"]["backbone_lr_mult"]:g}'
        elif job.kind in ('pretrain', 'select') and result.get('val'):
            text = f'{job.label}: validation ' + ', '.join(f'{k} {v * 100:.1f}%' for k, v in result['val'].items()
                                                           if k.endswith('top1'))
        if text:
            s = scheduler_ref[0]
            progress.say(text, len(s.results), s.total, s.eta())
    return report


def run(o: Options) -> Dict:
    """Run (or with ``dry_run`` print) the benchmark; returns the results (also ``results.json``)."""
    speed_up_config_handling()
    progress = Progress('demo' if o.datasets == ['synthetic'] else 'benchmark', PRIORS)
    start = time.monotonic()
    launcher = Launcher(o.launcher, o.gpus, o.partition, o.srun_args)
    on_gpus = o.launcher != 'none' or (o.datasets[0] not in SYNTHETIC_PRESETS and _cuda())
    per_job_cores = available_cores() // (o.gpus if o.launcher == 'pytorch' else 1)
    resources = plan_resources(per_job_cores, max_jobs=o.jobs or (1 if on_gpus else None))
    say = progress.say
    say(f'{resources.jobs} job(s) at a time, {o.launcher} launcher, loader workers as the configs set them'
        if on_gpus else resources.describe())
    built = build(o, say)
    jobs = built['jobs']
    workers = None if on_gpus else _worker_options
    if o.dry_run:
        return print_commands(jobs, launcher, resources, workers)
    ref: List = []
    scheduler = Scheduler(launcher, progress, resources, worker_options=workers, on_done=_on_done(progress, ref))
    ref.append(scheduler)
    results = scheduler.run(jobs)
    return write_results(o, built, results, resources, time.monotonic() - start, say)


def _cuda() -> bool:
    import torch
    return torch.cuda.is_available()


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


def write_results(o: Options, built: Dict, results: Dict, resources, seconds: float, say) -> Dict:
    sets, preset = built['sets'], built['preset']
    res = dict(command=' '.join(sys.argv), datasets=[d.name for d in sets],
               dataset_titles={d.name: d.title for d in sets}, backbone_order=[b.name for b in built['backbones']],
               settings=dict(splits=o.splits, seeds=built['plan'].seeds, labels=[asdict(x) for x in built['plan'].labels],
                             cfg_options=o.cfg_options, launcher=o.launcher, gpus=o.gpus,
                             sizes=asdict(built['sizes']) if preset else None),
               resources=asdict(resources),
               backbones={b.name: asdict(b) for b in built['backbones']},
               finetune=aggregate.finetune_table(results), frozen=aggregate.frozen_table(results),
               pretraining=aggregate.pretraining_table(results), selection=aggregate.selection_table(results),
               evaluations={name: {k: {kk: vv for kk, vv in v.items() if kk != 'job'} for k, v in results.items()
                                   if k.startswith(name + '/')} for name in EVALUATIONS if name != 'frozen'},
               jobs={k: v['job'] for k, v in results.items() if 'job' in v})
    if preset == 'synthetic' and {'scratch', 'rotnet3d'} <= set(res['backbone_order']):
        res['bar'] = synthetic.check_bar(res['finetune']['synthetic'], res['frozen']['synthetic'], sets[0].num_classes)
    res['timing'] = dict(total_seconds=round(seconds, 1), data_seconds=round(built['data_seconds'], 1),
                         jobs=aggregate.job_timings(results))
    work = Path(o.work_dir)
    write_json_atomic(work / 'results.json', res)
    text = markdown(res)
    (work / 'results.md').write_text(text)
    write_figure(res, work / 'results.png')
    print(text, flush=True)
    say(f'wrote {work / "results.json"}, {work / "results.md"} and {work / "results.png"}')
    return res

