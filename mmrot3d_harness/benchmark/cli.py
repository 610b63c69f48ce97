"""Benchmark pretrained backbones on UCF101 / HMDB51 (or the synthetic presets): fine-tune every backbone on
every split and seed with the fine-tuning config's own recipe, test with its protocol (10 clips per video),
judge the frozen features (retrieval R@1/5/10/20/50, linear probe), and write results.json, results.md (the
paper's table: rows = backbones, columns = datasets) and results.png to --work-dir.

    python tools/benchmark.py ucf101 hmdb51 --backbone rotnet3d=work_dirs/rotnet3d_kinetics/backbone.pth
    python tools/benchmark.py ucf101 --backbone theirs=their.pth --prefix theirs=module.backbone. \\
        --launcher pytorch --gpus 8
    python tools/benchmark.py ucf101 --backbone tv=r3d_18-b3b3357e.pth    # torchvision's keys: converted
    python tools/benchmark.py hmdb51 --backbone mine=b.pth --launcher slurm --partition gpu --gpus 8 --jobs 6
    python tools/benchmark.py ucf101 --backbone mine=b.pth --train-fraction 0.1 0.25 1.0 --samples 1000
    python tools/benchmark.py demo               # the demo (bash tools/run_demo.sh)
    python tools/benchmark.py synthetic-paper    # the paper's comparison on the synthetic data (hours on a CPU)
    python tools/benchmark.py synthetic-shortcuts   # 3DRotNet on clips with bars or a logo, with and without the guard
    python tools/benchmark.py severe --backbone mine=b.pth --data-root gym=data/gym   # SEVERE's table (docs/severe.md)

Before any job every video of every list is checked (WORK_DIR/data_check/); a bad one stops the benchmark
with one line, unless --skip-bad leaves them out for every backbone. Every run is tools/train.py /
tools/test.py / tools/eval_frozen.py in its own folder under WORK_DIR/jobs/; --dry-run prints them all.
Run the same command again after an interruption: finished runs are skipped, an interrupted training
resumes from its last checkpoint.
"""
import argparse
import sys
from pathlib import Path

from mmrot3d.models import BackboneCheckpointError
from mmrot3d.utils.upstream_fixes import apply_tool_fixes
from .backbone_files import parse_pairs
from .data_check import SKIP_BAD_LIMIT
from .run import REAL, SEVERE, SYNTHETIC_PRESETS, Options, run
from .scheduler import JobFailed
from .severe_presets import GROUPS, expand, root_keys

apply_tool_fixes()  # before anything reads a config or a checkpoint (mmrot3d/utils/upstream_fixes.py)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        'datasets',
        nargs='+',
        choices=[*REAL, *SEVERE, *GROUPS, *SYNTHETIC_PRESETS],
        metavar='DATASET',
        help=f'one or more of {", ".join([*REAL, *SEVERE])}, or severe (SEVERE\'s table: '
        f'{" ".join(GROUPS["severe"])}); or one preset: {", ".join(SYNTHETIC_PRESETS)}')
    p.add_argument(
        '--backbone',
        action='append',
        default=[],
        metavar='NAME=PATH',
        help='a backbone to benchmark: plain tensor state dict (tools/export_backbone.py output or '
        "another codebase's, e.g. torchvision's r3d_18 / mc3_18 / r2plus1d_18); repeatable. It is fine-tuned "
        'with the configs of the architecture it fits; a random-init baseline of each architecture benchmarked '
        '(scratch, scratch-<architecture>) is always included')
    p.add_argument(
        '--prefix',
        action='append',
        default=[],
        metavar='NAME=PREFIX',
        help="the key prefix of NAME's backbone tensors, stripped (default backbone.; e.g. module.backbone.; "
        'nested entries join with ".", e.g. model_state.module.)')
    p.add_argument(
        '--format',
        action='append',
        default=[],
        metavar='NAME=FORMAT',
        help="the key layout of NAME's file: mmaction2 (ours) or torchvision (stem.0.weight, ...; converted); "
        'default: told by the keys')
    p.add_argument(
        '--pretrain-config',
        action='append',
        default=[],
        metavar='[NAME=]CONFIG',
        help='pretrain with tools/train.py CONFIG first, export its backbone and benchmark it as NAME '
        "(default: the config's file name)")
    p.add_argument('--no-scratch', action='store_true', help='leave out the random-init baseline')
    p.add_argument(
        '--variants',
        nargs='+',
        metavar='NAME',
        help='synthetic-paper: run only these pretraining rows (default: all; the random init is always there)')
    p.add_argument(
        '--data-root',
        action='append',
        default=[],
        metavar='[DATASET=]DIR',
        help='dataset root as the list tools write it (default data/<dataset>, data/synthetic; the FineGym presets: '
        'data/gym, also set by gym=DIR; ucf101=DIR also sets ucf101-severe and ucf101-1000)')
    p.add_argument('--work-dir', help='default: work_dirs/benchmark_<datasets> (work_dirs/demo for demo)')
    p.add_argument(
        '--splits', type=int, nargs='+', choices=[1, 2, 3], help="default: the datasets' own (1 2 3; SEVERE's: 1)")
    p.add_argument('--seeds', type=int, nargs='+', help='fine-tuning seeds (default 0 1 2; demo and SEVERE\'s: 0)')
    p.add_argument(
        '--train-fraction',
        type=float,
        nargs='+',
        default=[],
        metavar='F',
        help='label efficiency: class-balanced fractions of each training list (nested, per seed)')
    p.add_argument(
        '--samples',
        type=int,
        nargs='+',
        default=[],
        metavar='N',
        help='label efficiency: class-balanced training subsets of N videos')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='applied to every fine-tuning, test and frozen-feature job (e.g. train_cfg.max_epochs=50)')
    p.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm'],
        default='none',
        help='none: local processes; pytorch: torchrun per job; slurm: srun per job')
    p.add_argument('--gpus', type=int, default=1, help='GPUs (processes) per job with --launcher pytorch/slurm')
    p.add_argument('--partition', help='Slurm partition (--launcher slurm)')
    p.add_argument('--srun-args', default='', help='extra srun flags, one string (e.g. "--qos high --time 2-0")')
    p.add_argument('--jobs', type=int, help='jobs running at once (default: chosen from the available cores)')
    p.add_argument(
        '--skip-bad',
        nargs='?',
        type=float,
        const=SKIP_BAD_LIMIT,
        metavar='MAX_FRACTION',
        help='leave the videos the data check finds bad out of training and testing, for every backbone (recorded '
        f'in results.json/md); a list losing more than MAX_FRACTION (default {SKIP_BAD_LIMIT}) still stops. '
        'Without it any bad video stops the benchmark before its first job')
    p.add_argument('--dry-run', action='store_true', help='print every command (and whether it is done), run nothing')
    p.add_argument('--tiny', action='store_true', help='synthetic presets at smoke-test size (numbers meaningless)')
    p.add_argument('--data-workers', type=int, help='synthetic data generation processes (default: all cores)')
    return p


def to_options(a: argparse.Namespace) -> Options:
    roots = {}
    for value in a.data_root:
        name, sep, path = value.partition('=')
        if sep and name in (*REAL, *SEVERE, *root_keys(), *SYNTHETIC_PRESETS):
            roots[name] = path
        elif len(expand(a.datasets)) == 1:
            roots[a.datasets[0]] = value
        else:
            raise ValueError(f'--data-root {value}: with several datasets, write DATASET=DIR')
    for preset in ('synthetic-paper', 'synthetic-shortcuts'):
        if preset in roots:
            roots.setdefault('demo', roots[preset])
    default_dir = 'work_dirs/demo' if a.datasets == ['demo'] else f'work_dirs/benchmark_{"_".join(a.datasets)}'
    return Options(
        datasets=expand(a.datasets),
        work_dir=a.work_dir or default_dir,
        data_roots=roots,
        backbones=parse_pairs(a.backbone, '--backbone'),
        prefixes=parse_pairs(a.prefix, '--prefix'),
        formats=parse_pairs(a.format, '--format'),
        pretrain_configs=parse_pairs([c if '=' in c else f'{Path(c).stem}={c}' for c in a.pretrain_config],
                                     '--pretrain-config'),
        scratch=not a.no_scratch,
        splits=a.splits,
        seeds=a.seeds,
        fractions=a.train_fraction,
        samples=a.samples,
        cfg_options=a.cfg_options,
        launcher=a.launcher,
        gpus=a.gpus,
        partition=a.partition,
        srun_args=a.srun_args.split(),
        jobs=a.jobs,
        dry_run=a.dry_run,
        tiny=a.tiny,
        data_workers=a.data_workers,
        skip_bad=a.skip_bad,
        variants=a.variants)


def main(argv=None):
    args = parser().parse_args(argv)
    if args.skip_bad is not None and not 0 < args.skip_bad < 1:
        parser().error(f'--skip-bad {args.skip_bad}: give the largest fraction of a list to leave out, in (0, 1)')
    try:
        return run(to_options(args))
    except (ValueError, FileNotFoundError, BackboneCheckpointError, JobFailed) as err:
        sys.exit(f'error: {err}')
