"""GPU figures in one command (issue 15, goal 5): R3D-18 16x112x112 rotation pretraining on one GPU.

    python -m performance.gpu --out DIR                         # on a GPU machine: ~4-5 min, <= 6 min
    python -m performance.gpu --out DIR --device cpu --smoke    # the same code paths at tiny sizes, < 60 s
    bash performance/gpu_device.sh DIR                          # a bare GPU machine (wheels in .whl/, see there)

Sections, in this order (a failing section is recorded with its error and the next one runs;
``gpu.json`` and ``gpu.md`` in DIR are rewritten after every section, so a run cut short keeps what
it measured):

  throughput  training steps of RotationRecognizer(rotate_in_model=True) + RotationHead (MMEngine
              ``train_step``: preprocessor, fwd, bwd, SGD through OptimWrapper / AmpOptimWrapper) in
              rotated clips/s, for fp32, AMP fp16, bf16 (AmpOptimWrapper dtype=bfloat16), each with and
              without channels_last_3d (+ fp16 with cudnn.benchmark off); interleaved repeats, medians
  ratio       the pretext-vs-supervised ratio: rotation on B clips x 4 rotations vs MMAction2
              Recognizer3D + I3DHead on 4B clips, median and 95 % CI of per-repeat ratios (paired.py)
  memory      peak GPU memory (max_memory_allocated) and clips/s per batch size, fastest precision
  train       tools/train.py CONFIG --amp (the real pretraining config, iteration-based, no
              validation or checkpoints) on generated mp4 files: share of step time spent waiting for
              data (MMEngine's data_time / time), steady-state clips/s, loader workers' CPU
  loader_cpu  CPU time per decoded clip of the recipe pipeline, and the cores one GPU needs

Timing: CUDA is synchronised around every timed block; warm-up steps first (cudnn.benchmark tunes
then); variants alternate round-robin. The batch is uint8 clips in pinned host memory, as a
DataLoader with ``pin_memory=True`` hands them over, so every step includes its host-to-device copy.
"""
import argparse
import contextlib
import copy
import datetime
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import torch
from mmengine.optim import AmpOptimWrapper, OptimWrapper

from mmrot3d.engine.hooks.channels_last_hook import to_channels_last_3d
from tests.small_backbones import narrow_r3d, r3d18
from . import common, timing
from .paired import paired_repeats

BAR = 0.97
PRECISIONS = {'fp32': None, 'fp16': 'float16', 'bf16': 'bfloat16'}


@dataclass
class Plan:
    """Sizes of one run. ``GPU`` fits 6 minutes on an H200 with margin; ``SMOKE`` runs the same code
    on a CPU in well under a minute."""
    backbone: Dict
    channels: int
    shape: Tuple[int, int, int]  # (T, H, W) of one clip
    clips: int  # B: clips per step (x4 rotations through the backbone)
    warmup: int  # steps per variant before timing
    repeats: int  # timed rounds (throughput, memory)
    block_s: float  # wall time one timed block aims at
    ratio_repeats: Tuple[int, int]  # min, max paired repeats
    ratio_budget_s: float  # per precision
    batch_sizes: Tuple[int, ...]  # memory section, clips per step
    videos: int
    video_size: Tuple[int, int]  # (W, H)
    video_frames: int
    train_batch: int  # clips per step in the train run (config: 32)
    train_iters: Tuple[int, int]  # min, max iterations; chosen from the measured fp16 rate
    train_wall_s: float  # hard cap of the train subprocess
    log_interval: int
    steady_after: int  # iterations left out of the steady state (start-up)
    loader_clips: int  # clips decoded in-process for loader_cpu
    budgets: Dict[str, float]  # planned seconds per section (ETA; a section stops at 1.5x)
    time_limit_s: float  # the whole run, imports excluded: later sections shrink or skip
    train_options: List[str] = field(default_factory=list)  # extra --cfg-options (smoke: tiny model/clips)
    train_device_aug_options: List[str] = field(default_factory=list)  # the same for the device-aug config


_TINY_MODEL = [
    'model.backbone.base_channels=4', 'model.backbone.conv1_kernel=(3,7,7)', 'model.backbone.pool1_stride_t=1',
    'model.cls_head.in_channels=32'
]
GPU = Plan(
    backbone=r3d18(),
    channels=512,
    shape=(16, 112, 112),
    clips=32,
    warmup=3,
    repeats=5,
    block_s=0.3,
    ratio_repeats=(10, 30),
    ratio_budget_s=20,
    batch_sizes=(8, 16, 32, 64, 128),
    videos=256,
    video_size=(340, 256),
    video_frames=160,
    train_batch=32,
    train_iters=(150, 600),
    train_wall_s=75,
    log_interval=10,
    steady_after=50,
    loader_clips=96,
    budgets=dict(throughput=60, ratio=60, memory=45, train=100, train_device_aug=100, loader_cpu=15),
    time_limit_s=420)
SMOKE = Plan(
    backbone=narrow_r3d(4),
    channels=32,
    shape=(4, 32, 32),
    clips=1,
    warmup=1,
    repeats=2,
    block_s=0.05,
    ratio_repeats=(2, 3),
    ratio_budget_s=5,
    batch_sizes=(1, 2),
    videos=8,
    video_size=(80, 64),
    video_frames=40,
    train_batch=2,
    train_iters=(8, 8),
    # hang guards only: the smoke run is the test suite's, on a machine that may be busy with other work
    train_wall_s=300,
    log_interval=2,
    steady_after=4,
    loader_clips=4,
    budgets=dict(throughput=5, ratio=5, memory=3, train=25, train_device_aug=25, loader_cpu=2),
    time_limit_s=900,
    train_options=[
        *_TINY_MODEL, 'train_dataloader.dataset.pipeline.1.clip_len=4',
        'train_dataloader.dataset.pipeline.4.scale=(-1,40)', 'train_dataloader.dataset.pipeline.5.size=32'
    ],
    train_device_aug_options=[
        *_TINY_MODEL, 'train_dataloader.dataset.pipeline.1.clip_len=4',
        'train_dataloader.dataset.pipeline.4.scale=(-1,40)', 'model.data_preprocessor.crop_size=32'
    ])


class Progress:
    """Progress lines with elapsed time and an ETA from the sections' planned budgets."""

    def __init__(self, budgets: Dict[str, float]) -> None:
        self.start = time.perf_counter()
        self.budgets = dict(budgets)
        self.done: List[str] = []
        self.current: Optional[str] = None
        self.section_start = self.start

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def begin(self, name: str) -> None:
        self.current, self.section_start = name, time.perf_counter()

    def end(self, name: str) -> None:
        self.done.append(name)
        self.current = None

    def eta(self) -> float:
        left = sum(b for n, b in self.budgets.items() if n not in self.done and n != self.current)
        if self.current:
            left += max(0.0, self.budgets.get(self.current, 0) - (time.perf_counter() - self.section_start))
        return left

    def __call__(self, msg: str) -> None:
        timing.log(f'[gpu {self.elapsed():5.0f} s | ETA {self.eta():4.0f} s] {msg}')


class CpuAutocastOptimWrapper(OptimWrapper):
    """The CPU fallback of ``AmpOptimWrapper`` (which refuses to build without a GPU): the same
    autocast around the forward pass, no loss scaler (bf16/fp16 autocast on CPU needs none here)."""

    def __init__(self, dtype: torch.dtype, **kwargs) -> None:
        super().__init__(**kwargs)
        self.cast_dtype = dtype

    @contextlib.contextmanager
    def optim_context(self, model):
        with super().optim_context(model), torch.autocast('cpu', dtype=self.cast_dtype):
            yield


def make_wrapper(model, precision: str, device: str):
    """OptimWrapper (fp32) or AmpOptimWrapper(dtype=...) around the measurements' SGD."""
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-3)
    dtype = PRECISIONS[precision]
    if dtype is None:
        return OptimWrapper(optimizer=optimizer)
    if device.startswith('cuda'):
        return AmpOptimWrapper(optimizer=optimizer, dtype=dtype)
    return CpuAutocastOptimWrapper(getattr(torch, dtype), optimizer=optimizer)


def variant_name(precision: str, channels_last: bool) -> str:
    return precision + ('+channels_last_3d' if channels_last else '')


class Context:
    """What the sections share: arguments, plan, progress, device, and the fastest setting found."""

    def __init__(self, args, plan: Plan, progress: Progress) -> None:
        self.args, self.plan, self.log, self.device = args, plan, progress, args.device
        self.cuda = args.device.startswith('cuda')
        self.out = Path(args.out)
        # videos (~300 MiB on a GPU run) and the train run's work dir stay out of --out, which is copied back
        self.scratch = Path(args.scratch) if args.scratch else Path(tempfile.mkdtemp(prefix='mmrot3d_gpu_'))
        self.fastest: Tuple[str, bool] = ('fp32', False)
        self.rates: Dict[str, float] = {}  # rotated clips/s per throughput variant
        self.videos: Optional[Tuple[Path, Path]] = None
        self.train_worker_cpu_per_clip: Optional[float] = None  # set by the train section
        self.section_deadline = float('inf')
        torch.manual_seed(0)
        self.base = common.build_rotation(plan.backbone, plan.channels, rotate_in_model=True, device='cpu').train()

    def time_left(self) -> float:
        return self.plan.time_limit_s - self.log.elapsed()

    def past_deadline(self) -> bool:
        return time.perf_counter() > self.section_deadline

    def batch(self, clips: int, labels: Optional[str] = None) -> Dict:
        """``clips`` uint8 clips as the loader hands them over (pinned on CUDA)."""
        data = common.synthetic_batch(clips, self.plan.shape, labels=labels)
        if self.cuda:
            data['inputs'] = [x.pin_memory() for x in data['inputs']]
        return data

    def model(self, channels_last: bool, supervised: bool = False):
        if supervised:
            torch.manual_seed(0)
            model = common.build_supervised(
                self.plan.backbone, self.plan.channels, dict(type='I3DHead'), device='cpu').train()
        else:
            model = copy.deepcopy(self.base)
        model = model.to(self.device)
        if channels_last:
            to_channels_last_3d(model.backbone)  # what ChannelsLast3dHook does
        return model

    def free(self) -> None:
        if self.cuda:
            torch.cuda.synchronize()
            torch.cuda.empty_cache()


def step_fn(model, batch: Dict, wrapper, losses: List[float], benchmark: Optional[bool] = None) -> Callable[[], None]:
    """One MMEngine training step; keeps the loss (a float read forces the step to finish)."""

    def step():
        if benchmark is not None:
            torch.backends.cudnn.benchmark = benchmark
        log_vars = model.train_step(batch, wrapper)
        if benchmark is not None:
            torch.backends.cudnn.benchmark = True
        losses.append(float(torch.as_tensor(log_vars['loss']).detach()))

    return step


def warm_up(step: Callable[[], None], steps: int) -> float:
    """Run ``steps`` steps; returns the wall seconds of the last one."""
    last = 0.0
    for _ in range(max(1, steps)):
        timing.sync()
        t0 = time.perf_counter()
        step()
        timing.sync()
        last = time.perf_counter() - t0
    return last


def steps_per_block(step_s: float, block_s: float) -> int:
    return max(1, min(20, math.ceil(block_s / max(step_s, 1e-6))))


def timed_rounds(fns: Dict[str, Callable[[], None]], steps: Dict[str, int], repeats: int) -> Dict[str, List[float]]:
    """Seconds per step of every block; variants alternate, the order rotating each round."""
    names, out = list(fns), {n: [] for n in fns}
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            timing.sync()
            t0 = time.perf_counter()
            for _ in range(steps[name]):
                fns[name]()
            timing.sync()
            out[name].append((time.perf_counter() - t0) / steps[name])
    return out


# ---- a. throughput ---------------------------------------------------------------------------
def section_throughput(ctx: Context) -> Dict:
    p = ctx.plan
    specs = {variant_name(prec, cl): (prec, cl, None) for prec in PRECISIONS for cl in (False, True)}
    if ctx.cuda:
        specs['fp16 (cudnn.benchmark off)'] = ('fp16', False, False)
    if ctx.args.variants:
        unknown = set(ctx.args.variants) - set(specs)
        if unknown:
            raise ValueError(f'--variants: unknown {sorted(unknown)}; choose from {list(specs)}')
        specs = {name: spec for name, spec in specs.items() if name in ctx.args.variants}
    batch = ctx.batch(p.clips)
    fns, losses, steps, errors = {}, {}, {}, {}
    for name, (prec, cl, bench) in specs.items():
        if ctx.past_deadline():
            errors[name] = 'skipped: the section ran past its time budget'
            continue
        try:
            model = ctx.model(cl)
            losses[name] = []
            fns[name] = step_fn(model, batch, make_wrapper(model, prec, ctx.device), losses[name], bench)
            step_s = warm_up(fns[name], p.warmup)
            steps[name] = steps_per_block(step_s, p.block_s)
            ctx.log(f'throughput: warmed up {name}: {4 * p.clips / step_s:.0f} clips/s in the last warm-up step')
        except Exception as err:  # e.g. a precision this GPU lacks: record it, time the others
            errors[name] = f'{type(err).__name__}: {err}'.splitlines()[0][:300]
            fns.pop(name, None)
            ctx.log(f'throughput: {name} failed: {errors[name]}')
    times = timed_rounds(fns, steps, p.repeats)
    rows = []
    for name, ts in times.items():
        prec, cl, bench = specs[name]
        rate = [4 * p.clips / t for t in ts]
        rows.append(
            dict(
                variant=name,
                precision=prec,
                channels_last_3d=cl,
                cudnn_benchmark=bench if bench is not None else (True if ctx.cuda else None),
                clips_per_s=statistics.median(rate),
                clips_per_s_min=min(rate),
                clips_per_s_max=max(rate),
                step_ms=1000 * statistics.median(ts),
                steps_per_block=steps[name],
                repeats=len(ts),
                final_loss=losses[name][-1],
                loss_finite=all(math.isfinite(x) for x in losses[name])))
        ctx.rates[name] = rows[-1]['clips_per_s']
    base = ctx.rates.get('fp32')
    for row in rows:
        row['vs_fp32'] = row['clips_per_s'] / base if base else None
    candidates = [
        r for r in rows
        if r['loss_finite'] and r['variant'] in {variant_name(pr, cl)
                                                 for pr in PRECISIONS
                                                 for cl in (False, True)}
    ]
    if candidates:
        best = max(candidates, key=lambda r: r['clips_per_s'])
        ctx.fastest = (best['precision'], best['channels_last_3d'])
    ctx.log(f'throughput: fastest {variant_name(*ctx.fastest)}')
    ctx.free()
    return dict(
        clips_per_step=4 * p.clips, input=list(p.shape), rows=rows, errors=errors, fastest=variant_name(*ctx.fastest))


# ---- b. pretext vs supervised ----------------------------------------------------------------
# MMAction2's BaseHead.loss_by_feat reads the scores as a numpy array, and numpy has no bfloat16: the supervised
# reference (I3DHead) stops with "Got unsupported ScalarType BFloat16" in a bf16 step
NO_BF16 = 'bf16 left out: the supervised reference cannot train in it (MMAction2 reads its scores with numpy)'


def ratio_settings(fastest: Tuple[str, bool]) -> List[Tuple[str, bool]]:
    """The settings the ratio is measured at: the fastest (fp16 in its place where that is bf16, see ``NO_BF16``),
    then the --amp configs' fp16 and plain fp32."""
    settings = [('fp16', fastest[1]) if fastest[0] == 'bf16' else fastest]
    for extra in (('fp16', False), ('fp32', False)):
        if extra not in settings:
            settings.append(extra)
    return settings


def section_ratio(ctx: Context) -> Dict:
    p = ctx.plan
    settings = ratio_settings(ctx.fastest)
    batches = dict(rotation=ctx.batch(p.clips), supervised=ctx.batch(4 * p.clips, labels='gt'))
    rows = []
    for prec, cl in settings:
        if time.perf_counter() + p.ratio_budget_s / 2 > ctx.section_deadline:
            ctx.log(f'ratio: no time left for {variant_name(prec, cl)}')
            break
        try:
            rows.append(ratio_row(ctx, prec, cl, batches))
        except Exception as err:  # keep the other settings' rows
            rows.append(dict(setting=variant_name(prec, cl), error=f'{type(err).__name__}: {err}'[:300]))
            ctx.log(f'ratio: {variant_name(prec, cl)} failed: {rows[-1]["error"]}')
        ctx.free()
    return dict(
        description='rotation (B clips x 4 rotations, in the model) / supervised (Recognizer3D + I3DHead, '
        '4B clips) clips/s; median of per-repeat ratios with its 95 % CI' +
        (f'; {NO_BF16}' if ctx.fastest[0] == 'bf16' else ''),
        rows=rows)


def ratio_row(ctx: Context, prec: str, cl: bool, batches: Dict) -> Dict:
    p, name = ctx.plan, variant_name(prec, cl)
    models = dict(rotation=ctx.model(cl), supervised=ctx.model(cl, supervised=True))
    one = {k: step_fn(m, batches[k], make_wrapper(m, prec, ctx.device), []) for k, m in models.items()}
    step_s = max(warm_up(fn, p.warmup) for fn in one.values())
    k = steps_per_block(step_s, p.block_s / 2)
    calls = {key: (lambda fn=fn: [fn() for _ in range(k)]) for key, fn in one.items()}
    ctx.log(f'ratio: {name}, {k} step(s) per timed call')
    run = paired_repeats(
        calls,
        'supervised',
        'rotation',
        min_repeats=p.ratio_repeats[0],
        max_repeats=p.ratio_repeats[1],
        budget_s=p.ratio_budget_s,
        use_cpu=not ctx.cuda,
        label=f'ratio {name}')
    stats = run['ratios'][run['clock']]['rotation']
    return dict(
        setting=name,
        clips_per_step=4 * p.clips,
        steps_per_call=k,
        clock=run['clock'],
        ratio=stats,
        holds=run['holds'],
        bar=BAR,
        bar_met=stats['median'] >= BAR,
        clips_per_s={
            key: 4 * p.clips * k / statistics.median(v)
            for key, v in run['seconds'].items()
        })


# ---- c. memory per batch size -----------------------------------------------------------------
def section_memory(ctx: Context) -> Dict:
    p = ctx.plan
    prec, cl = ctx.fastest
    model = ctx.model(cl)
    wrapper = make_wrapper(model, prec, ctx.device)
    rows = []
    for clips in p.batch_sizes:
        row = dict(clips=clips, rotated_clips_per_step=4 * clips)
        if ctx.past_deadline():
            ctx.log(f'memory: time budget spent; {clips} clips and larger skipped')
            break
        try:
            batch, losses = ctx.batch(clips), []
            fn = step_fn(model, batch, wrapper, losses)
            step_s = warm_up(fn, 2)
            resident = timing.current_memory_mib()
            timing.reset_peak_memory()
            steps = max(2, min(8, math.ceil(4 * p.block_s / step_s)))
            ts = timed_rounds({'x': fn}, {'x': steps}, 1)['x']
            peak = timing.peak_memory_mib()
            row.update(
                clips_per_s=4 * clips / ts[0],
                step_ms=1000 * ts[0],
                steps=steps,
                resident_mib=resident,
                peak_mib=peak,
                peak_reserved_mib=torch.cuda.max_memory_reserved() / 2**20 if ctx.cuda else None,
                activation_mib_per_rotated_clip=(peak - resident) / (4 * clips) if peak and resident else None)
            ctx.log(f'memory: {clips} clips x 4: peak {peak:.0f} MiB, {row["clips_per_s"]:.0f} clips/s')
        except Exception as err:  # out of memory, typically: keep the smaller batches' rows
            row['error'] = f'{type(err).__name__}: {str(err).splitlines()[0][:200]}'
            rows.append(row)
            ctx.log(f'memory: {clips} clips x 4: {row["error"]}; larger batches skipped')
            break
        finally:
            batch = fn = None
            ctx.free()
        rows.append(row)
    return dict(
        setting=variant_name(prec, cl),
        input=list(p.shape),
        rows=rows,
        memory_counter='torch.cuda.max_memory_allocated' if ctx.cuda else 'process VmHWM (CPU fallback)')


SECTIONS = ('throughput', 'ratio', 'memory', 'train', 'train_device_aug', 'loader_cpu')


def section_functions():
    from .gpu_train import section_loader_cpu, section_train, section_train_device_aug
    return dict(
        throughput=section_throughput,
        ratio=section_ratio,
        memory=section_memory,
        train=section_train,
        train_device_aug=section_train_device_aug,
        loader_cpu=section_loader_cpu)


def environment(device: str) -> Dict:
    import numpy
    info = dict(
        timing.environment(device),
        python=platform.python_version(),
        numpy=numpy.__version__,
        cores=len(os.sched_getaffinity(0)),
        cpu=_cpu_model(),
        date=datetime.datetime.now().isoformat(timespec='seconds'))
    for pkg in ('mmengine', 'mmaction', 'mmcv', 'decord', 'cv2'):
        with contextlib.suppress(Exception):
            info[pkg] = __import__(pkg).__version__
    with contextlib.suppress(Exception):  # MMEngine's Runner imports it if present; not imported here
        import importlib.metadata
        info['torchvision'] = importlib.metadata.version('torchvision')
    if device.startswith('cuda'):
        queries = dict(
            gpu=lambda: torch.cuda.get_device_name(0),
            gpu_memory_gib=lambda: round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1),
            cuda=lambda: torch.version.cuda,
            cudnn=torch.backends.cudnn.version,
            cudnn_benchmark=lambda: torch.backends.cudnn.benchmark,
            cudnn_allow_tf32=lambda: torch.backends.cudnn.allow_tf32,  # TF32 convolutions in "fp32"
            matmul_allow_tf32=lambda: torch.backends.cuda.matmul.allow_tf32,
            bf16_supported=torch.cuda.is_bf16_supported)
        for key, query in queries.items():
            try:
                info[key] = query()
            except Exception as err:  # a renamed flag must not stop the run
                info[key] = f'{type(err).__name__}: {err}'
    return info


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    return platform.processor()


def write_report(out: Path, report: Dict) -> None:
    from .gpu_report import markdown
    (out / 'gpu.json').write_text(json.dumps(report, indent=1, default=str))
    (out / 'gpu.md').write_text(markdown(report))


def main(argv=None) -> Dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', required=True, help='folder for gpu.json, gpu.md, the train log (created)')
    parser.add_argument('--device', default='cuda', help='cuda (default) or cpu (the fallback; use with --smoke)')
    parser.add_argument('--smoke', action='store_true', help='tiny sizes: checks the code paths, measures nothing')
    parser.add_argument('--only', default=','.join(SECTIONS), help=f'comma-separated subset of {",".join(SECTIONS)}')
    parser.add_argument(
        '--train-cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='more --cfg-options for the train runs, e.g. train_dataloader.pin_memory=True')
    parser.add_argument(
        '--variants',
        nargs='+',
        default=None,
        metavar='NAME',
        help='throughput: only these variants (e.g. fp16 fp16+channels_last_3d; default: all)')
    parser.add_argument(
        '--workers', type=int, default=None, help='DataLoader workers of the train run (default: cores - 2)')
    parser.add_argument(
        '--scratch',
        default=None,
        help='folder for the generated videos and the train work dir (default: a temporary '
        'folder, removed at the end)')
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(',') if s.strip()]
    if set(only) - set(SECTIONS):
        parser.error(f'--only: unknown section(s) {sorted(set(only) - set(SECTIONS))}; choose from {SECTIONS}')
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        parser.error('--device cuda but torch sees no GPU; for the CPU fallback pass --device cpu --smoke')
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    plan = SMOKE if args.smoke else GPU
    timing.set_device(args.device)
    if args.device.startswith('cuda'):
        torch.backends.cudnn.benchmark = True
    else:
        torch.set_num_threads(1)  # shared CPU machines: see performance/run.py --threads
    progress = Progress({k: v for k, v in plan.budgets.items() if k in only})
    report = dict(
        command=' '.join(['python -m performance.gpu'] + list(argv if argv is not None else sys.argv[1:])),
        smoke=args.smoke,
        environment=environment(args.device),
        plan={
            k: v
            for k, v in asdict(plan).items() if k not in ('backbone', 'train_options', 'train_device_aug_options')
        },
        sections={},
        seconds={})
    progress(f'{report["environment"].get("gpu", "CPU")}; sections {only}; plan {sum(progress.budgets.values()):.0f} s')
    ctx = Context(args, plan, progress)
    functions = section_functions()
    for name in only:
        progress.begin(name)
        progress(f'=== {name} ===')
        start = time.perf_counter()
        ctx.section_deadline = start + min(1.5 * plan.budgets[name], max(0.0, ctx.time_left()))
        try:
            if ctx.time_left() < 5:
                raise TimeoutError(f'skipped: the run is past its time limit ({plan.time_limit_s:.0f} s)')
            report['sections'][name] = functions[name](ctx)
        except Exception as err:  # record it and go on: the other sections still measure
            report['sections'][name] = dict(
                error=f'{type(err).__name__}: {err}', traceback=traceback.format_exc()[-4000:])
            progress(f'{name} FAILED: {type(err).__name__}: {str(err)[:300]}')
            with contextlib.suppress(Exception):
                ctx.free()
        report['seconds'][name] = round(time.perf_counter() - start, 1)
        progress.end(name)
        report['seconds']['total'] = round(progress.elapsed(), 1)
        write_report(out, report)
        progress(f'=== {name} done in {report["seconds"][name]} s; wrote {out / "gpu.json"}, {out / "gpu.md"} ===')
    if not args.scratch:
        shutil.rmtree(ctx.scratch, ignore_errors=True)
    return report


if __name__ == '__main__':
    sys.exit(1 if any('error' in s for s in main()['sections'].values()) else 0)
