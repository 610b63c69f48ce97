"""One benchmark run: data, backbones checked, jobs planned, run (or printed), results aggregated and reported.

Presets: ``ucf101`` and ``hmdb51`` (one or both; the fine-tuning configs' own protocol, no recipe search),
SEVERE's datasets (``severe_presets``: ``sthv2``, ``gym99``, ``fx-s1``, ...; the group ``severe`` is its table),
``demo`` (the demo: generated data, 3DRotNet pretraining, both arms fine-tuned until they plateau) and
``synthetic-paper`` (the paper's comparison on the synthetic data).
"""
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..cores import available_cores, core_ids
from ..progress import Progress
from . import labelled_sets, severe_presets, synthetic_presets
from .backbone_files import SCRATCH, Architectures, Backbone, preflight, resolve_config, scratch_baselines
from .data_check import check_sets, pretraining_uses
from .devices import visible_gpus
from .jobs import Job
from .launch import Launcher
from .plan import LabelSetting, Plan, audit_job, finetune_jobs, frozen_job, parse_options, pretrain_jobs
from .resources import Resources, plan_gpu_resources, plan_resources
from .results import print_commands, progress_line, summarise, write_results
from .scheduler import Scheduler

SYNTHETIC_PRESETS = ('demo', 'synthetic-paper', 'synthetic-shortcuts')
REAL = {'ucf101': labelled_sets.ucf101, 'hmdb51': labelled_sets.hmdb51}
SEVERE = severe_presets.PRESETS  # and the group that runs SEVERE's table: severe_presets.GROUPS
# Evaluations of every backbone beside fine-tuning: name -> (plan, dataset, backbone) -> Job or None (not
# applicable). Results land in results.json under evaluations/<name>/<dataset>/<backbone>; 'frozen' also
# feeds the retrieval / linear-probe tables. Add a measurement here to run it for every backbone.
EVALUATIONS: Dict[str, Callable[[Plan, labelled_sets.LabelledSet, Backbone], Optional[Job]]] = {
    'frozen': frozen_job,
    'actor_share': synthetic_presets.actor_share_job,
    'cue_audit': audit_job,
}
# First guesses of seconds per unit (training iteration, test or feature batch) of the synthetic presets'
# jobs on one core, for the ETA until a job of the kind has run (then measured ones are used).
PRIORS = dict(pretrain=0.6, finetune=0.25, test=0.5, frozen=0.15, pretext=0.6, actor_share=20, cue_audit=0.3)


@dataclass
class Options:
    """What ``tools/benchmark.py`` parsed (see its ``--help``)."""
    datasets: List[str]
    work_dir: str
    data_roots: Dict[str, str] = field(default_factory=dict)
    backbones: Dict[str, str] = field(default_factory=dict)
    prefixes: Dict[str, str] = field(default_factory=dict)
    formats: Dict[str, str] = field(default_factory=dict)
    pretrain_configs: Dict[str, str] = field(default_factory=dict)
    scratch: bool = True
    splits: Optional[List[int]] = None  # None: the datasets' own (ucf101, hmdb51: 1 2 3; SEVERE's: 1)
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
    skip_bad: Optional[float] = None  # leave bad videos out of every list, up to this fraction (None: stop)
    variants: Optional[List[str]] = None  # synthetic-paper: the pretraining rows to run (None: all)


def _backbones(o: Options, preset: Optional[str]) -> List[Backbone]:
    """The pretrained backbones to benchmark (the random-init baselines come after the preflight)."""
    found = []
    configs = dict(rotnet3d=labelled_sets.SYNTHETIC_PRETRAIN) if preset == 'demo' else \
        dict(synthetic_presets.PAPER_VARIANTS) if preset == 'synthetic-paper' else {}
    if o.variants is not None:
        unknown = sorted(set(o.variants) - set(synthetic_presets.PAPER_VARIANTS))
        if preset != 'synthetic-paper' or unknown:
            raise ValueError(f'--variants {" ".join(unknown or o.variants)}: the synthetic-paper preset\'s rows are '
                             f'{", ".join(synthetic_presets.PAPER_VARIANTS)}')
        configs = {name: configs[name] for name in o.variants}
    root = o.data_roots.get(preset, 'data/synthetic')
    data, references = {}, {}
    options = synthetic_presets.PAPER_PRETRAIN_OPTIONS if preset == 'synthetic-paper' else {}
    if preset == 'synthetic-shortcuts':
        configs = {name: config for name, (config, _) in synthetic_presets.SHORTCUT_VARIANTS.items()}
        data = {
            name: synthetic_presets.shortcut_root(root, shortcut)
            for name, (_, shortcut) in synthetic_presets.SHORTCUT_VARIANTS.items()
        }
        references = synthetic_presets.SHORTCUT_REFERENCES
    configs.update(o.pretrain_configs)
    found += [
        Backbone(
            name,
            pretrain_config=resolve_config(config, f'--pretrain-config {name}='),
            pretrain_options=options.get(name, ()),
            pretrain_data=data.get(name),
            reference=references.get(name)) for name, config in configs.items()
    ]
    found += [
        Backbone(name, path=path, prefix=o.prefixes.get(name, 'backbone.'), layout=o.formats.get(name))
        for name, path in o.backbones.items()
    ]
    names = [b.name for b in found]
    dup = next((n for n in names if names.count(n) > 1 or n == SCRATCH or n.startswith(f'{SCRATCH}-')), None)
    if dup:
        raise ValueError(f'backbone name {dup} given twice (scratch and scratch-<architecture> are built in)')
    for flag, given in (('--prefix', o.prefixes), ('--format', o.formats)):
        unknown = sorted(set(given) - set(o.backbones))
        if unknown:
            raise ValueError(f'{flag} {unknown[0]}=...: no --backbone {unknown[0]}=PATH')
    if not found and not o.scratch:
        raise ValueError('nothing to benchmark: give --backbone NAME=PATH or --pretrain-config, or drop --no-scratch')
    return found


def _worker_options(workers: int, loaders: Sequence[str]) -> List[str]:
    words = ['--cfg-options'] if loaders else []
    for loader in loaders:
        words += [f'{loader}_dataloader.num_workers={workers}', f'{loader}_dataloader.persistent_workers={workers > 0}']
    return words


def _labelled_sets(o: Options, preset: Optional[str], sizes: synthetic_presets.Sizes,
                   say: Callable[[str], None]) -> Tuple[List[labelled_sets.LabelledSet], float]:
    """The datasets (the synthetic one generated first if missing), their lists checked; data seconds."""
    data_seconds = 0.0
    if preset:
        root = o.data_roots.get(preset, 'data/synthetic')
        if not o.dry_run:
            t0 = time.monotonic()
            say(f'data: generating (or reusing) {root}: {sizes.pretrain_clips} pretraining clips, '
                f'{sizes.clips_per_class} labelled clips per class')
            shortcuts = synthetic_presets.SHORTCUTS if preset == 'synthetic-shortcuts' else {}
            for where, generator in [(root, {})] + [(synthetic_presets.shortcut_root(root, name), params)
                                                    for name, params in shortcuts.items()]:
                labelled_sets.prepare_synthetic(
                    where,
                    pretrain_clips=sizes.pretrain_clips,
                    clips_per_class=sizes.clips_per_class,
                    groups=sizes.groups,
                    workers=o.data_workers,
                    **generator)
            data_seconds = time.monotonic() - t0
        sets = [labelled_sets.synthetic(root)]
    else:
        sets = [
            REAL[d](o.data_roots.get(d, f'data/{d}')) if d in REAL else severe_presets.preset(d, o.data_roots)
            for d in o.datasets
        ]
    o.splits = labelled_sets.common_splits(sets, o.splits)  # every later step reads the resolved splits
    for data in sets:
        missing = data.missing_lists(o.splits)
        if missing and not (preset and o.dry_run):
            raise FileNotFoundError(missing)
        problem = None if missing else severe_presets.layout_problem(data, o.splits)
        if problem:
            raise ValueError(problem)
    return sets, data_seconds


def build(o: Options, say: Callable[[str], None]) -> Dict:
    """Everything up to the job list: data, checks, plan. Returns dict(jobs, plan, sets, backbones, ...)."""
    preset = o.datasets[0] if o.datasets[0] in SYNTHETIC_PRESETS else None
    if preset and len(o.datasets) > 1:
        raise ValueError(f'{preset} is a preset of its own; run it alone')
    sizes = synthetic_presets.TINY if o.tiny else synthetic_presets.DEMO
    sets, data_seconds = _labelled_sets(o, preset, sizes, say)
    backbones = _backbones(o, preset)
    seeds = o.seeds if o.seeds is not None else ([0, 1, 2] if preset == 'synthetic-paper' else [0]) if preset else \
        sorted({seed for data in sets for seed in data.seeds})
    # fewer labels first; all labels always (the main table's column)
    labels = [LabelSetting(fraction=f) for f in sorted(set(o.fractions)) if f < 1] + \
        [LabelSetting(samples=n) for n in sorted(set(o.samples))] + [LabelSetting()]
    work = Path(o.work_dir).resolve()
    plan = Plan(work, o.splits, seeds, labels, list(o.cfg_options), dry_run=o.dry_run)
    archs = Architectures(sets, o.splits, parse_options(o.cfg_options))
    if backbones:
        say(f'checking {len(backbones)} backbone(s) against the fine-tuning configs of '
            f'{", ".join(archs.names)} (e.g. {archs.configs[archs.names[0]][0]})')
    plan.backbone_files.update(preflight(backbones, archs, work / 'backbones', install_files=not o.dry_run))
    backbones = (scratch_baselines(backbones, archs) if o.scratch else []) + backbones
    # the synthetic presets' pretraining data is generated and checked by its generator
    pretraining = [] if preset or o.dry_run else \
        pretraining_uses([b.pretrain_config for b in backbones if b.pretrain_config])
    checked = None if preset and o.dry_run else \
        check_sets(sets, o.splits, o.cfg_options, work, o.skip_bad, say, pretraining)
    if checked:
        sets = checked[0]
    jobs: List[Job] = []
    for b in [b for b in backbones if b.pretrain_config]:
        config = sets[0].config_path(o.splits[0], b.architecture, b.input)
        if preset:
            jobs += synthetic_presets.pretrain_jobs(
                plan, b, b.pretrain_data or o.data_roots.get(preset, 'data/synthetic'), config, sizes, seed=seeds[0])
        else:
            jobs += pretrain_jobs(plan, b, config)
    if preset:
        plan.extra, plan.val_lists = synthetic_presets.finetune_options(sizes), synthetic_presets.validation_lists(
            plan, sets[0])
    for data in sets:
        for b in backbones:
            jobs += finetune_jobs(plan, data, b)
            makers = [
                make for name, make in EVALUATIONS.items() if data.evaluations is None or name in data.evaluations
            ]
            jobs += [j for j in (make(plan, data, b) for make in makers) if j is not None]
    return dict(
        jobs=jobs,
        plan=plan,
        sets=sets,
        backbones=backbones,
        preset=preset,
        sizes=sizes if preset else None,
        data_seconds=data_seconds,
        data=checked[1] if checked else None,
        evaluations=[name for name in EVALUATIONS if name != 'frozen'])


def job_resources(o: Options) -> Resources:
    """Jobs at once and what each gets. GPU jobs when the launcher is torchrun or srun, or when GPUs are
    visible to ``--launcher none`` (counted through NVML: this process never initialises CUDA); the
    synthetic presets' tiny jobs share the machine as CPU jobs, each on cores of its own (GPU jobs, whose loader
    workers the configs set, are left to the OS)."""
    if o.launcher == 'slurm':
        return plan_gpu_resources(available_cores(), [], o.gpus, o.jobs)
    gpus = [] if o.datasets[0] in SYNTHETIC_PRESETS and o.launcher == 'none' else visible_gpus()
    if o.launcher == 'pytorch' or gpus:
        processes = o.gpus if o.launcher == 'pytorch' else 1
        return plan_gpu_resources(available_cores(), gpus, processes, o.jobs, processes)
    return plan_resources(available_cores(), max_jobs=o.jobs, core_ids=core_ids())


def run(o: Options) -> Dict:
    """Run (or with ``dry_run`` print) the benchmark; returns the results (also ``results.json``)."""
    progress = Progress('demo' if o.datasets == ['demo'] else 'benchmark', PRIORS)
    start = time.monotonic()
    launcher = Launcher(o.launcher, o.gpus, o.partition, o.srun_args)
    resources = job_resources(o)
    say = progress.say
    say(f'{o.launcher} launcher; {resources.describe()}')
    built = build(o, say)
    jobs = built['jobs']
    workers = None if resources.workers is None else _worker_options
    if o.dry_run:
        return print_commands(jobs, launcher, resources, workers)
    scheduler = Scheduler(launcher, progress, resources, worker_options=workers)
    scheduler.on_done = progress_line(progress, scheduler)
    results = scheduler.run(jobs)
    res = summarise(built, results,
                    dict(command=' '.join(sys.argv), cfg_options=o.cfg_options, launcher=o.launcher, gpus=o.gpus),
                    resources,
                    time.monotonic() - start)
    write_results(res, Path(o.work_dir), say)
    return res
