"""Sections ``train`` and ``loader_cpu`` of ``performance/gpu.py``: a real ``tools/train.py`` run of
the pretraining config on generated videos, and the CPU one decoded clip costs.

The train run is the repository's own tool in a subprocess: ``configs/rotnet3d_kinetics.py`` (R3D-18,
the paper's pipeline, 32 clips x 4 rotations per step), ``--amp`` on a GPU, with ``--cfg-options`` for
the data paths, the loader's workers, an iteration-based loop with an ``InfiniteSampler`` and no
checkpoints, and ``--no-validate``. MMEngine's ``IterTimerHook`` logs per iteration ``time`` (the whole
iteration) and ``data_time`` (the part spent in the DataLoader's ``next``); ``LocalVisBackend`` writes
their window means to ``<work_dir>/<timestamp>/vis_data/scalars.json``.
"""
import json
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np

from . import common

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / 'configs' / 'rotnet3d_kinetics.py'
# The same recipe with crop, flip and normalisation on the GPU (CropFlipDataPreprocessor): workers only decode.
DEVICE_AUG_CONFIG = ROOT / 'configs' / 'rotnet3d' / 'rotnet3d_r3d18-device-aug_1xb32-16x2x1-50e_kinetics400-rgb.py'
TRAIN_TOOL = ROOT / 'tools' / 'train.py'
TARGET_CLIPS_PER_S = 2000  # rotated clips/s one H200 should train on (with <= 5 % of the step waiting for data)


# ---- videos -----------------------------------------------------------------------------------
def _write_one(job: Tuple[str, int, int, int, int]) -> str:
    """One mp4 (mp4v) of moving 8x8-pixel noise blocks: cheap to make, not trivial to encode."""
    import cv2

    from mmrot3d_harness.video_io import write_video
    cv2.setNumThreads(1)
    path, width, height, frames, seed = job
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, size=(height // 8 + 5, width // 8 + 5, 3), dtype=np.uint8)
    base = np.kron(base, np.ones((8, 8, 1), dtype=np.uint8))
    offsets = [((t // 3) % 32, (t // 2 + seed) % 32) for t in range(frames)]
    write_video(path, [base[dy:dy + height, dx:dx + width] for dy, dx in offsets])
    return path


def make_videos(folder: Path, count: int, size: Tuple[int, int], frames: int, processes: int, log) -> Tuple[Path, Path]:
    """Write ``count`` videos of ``size`` (W, H) with a pool of ``processes``; returns (folder, list file)."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(str(folder / f'v{i:04d}.mp4'), size[0], size[1], frames, i) for i in range(count)]
    start, done = time.perf_counter(), 0
    # forked from a fresh server: a child forked from this process (its OpenCV or OpenMP thread pools ran) can hang
    with multiprocessing.get_context('forkserver').Pool(processes) as pool:
        for _ in pool.imap_unordered(_write_one, jobs, chunksize=max(1, count // (4 * processes))):
            done += 1
            if done % max(1, count // 4) == 0 or done == count:
                log(f'videos: {done}/{count} written ({time.perf_counter() - start:.1f} s)')
    list_file = folder / 'train_list.txt'
    list_file.write_text(''.join(f'{Path(j[0]).name} {i % 400}\n' for i, j in enumerate(jobs)))
    return folder, list_file


# ---- CPU of the train run's loader workers ----------------------------------------------------
class ChildCpu(threading.Thread):
    """Polls the CPU seconds (utime + stime) of a process's children (the DataLoader workers) until
    stopped; keeps each child's last reading, so workers that exit are still counted."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.cpu: Dict[int, float] = {}
        self.parent_cpu = 0.0
        self.first_seen: Dict[int, float] = {}
        self.stopped = threading.Event()
        self.tick = os.sysconf('SC_CLK_TCK')

    def _stat(self, pid: int):
        with open(f'/proc/{pid}/stat') as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return int(fields[1]), (int(fields[11]) + int(fields[12])) / self.tick  # ppid, utime + stime

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.parent_cpu = self._stat(self.pid)[1]
            except (OSError, IndexError, ValueError):
                pass
            for entry in os.listdir('/proc'):
                if not entry.isdigit():
                    continue
                try:
                    ppid, cpu = self._stat(int(entry))
                except (OSError, IndexError, ValueError):
                    continue
                if ppid == self.pid:
                    self.first_seen.setdefault(int(entry), time.perf_counter())
                    self.cpu[int(entry)] = cpu
            self.stopped.wait(self.interval)


# ---- d. the train run -------------------------------------------------------------------------
def choose_workers(requested) -> int:
    """Loader workers: all cores but one for the training process and one spare."""
    return requested if requested else max(1, len(os.sched_getaffinity(0)) - 2)


def train_command(ctx, config: Path, folder: Path, list_file: Path, work_dir: Path, workers: int, iters: int,
                  extra_options: List[str]) -> List[str]:
    p = ctx.plan
    options = [
        f'train_dataloader.dataset.ann_file={list_file}', f'train_dataloader.dataset.data_prefix.video={folder}',
        f'train_dataloader.batch_size={p.train_batch}', f'train_dataloader.num_workers={workers}',
        'train_dataloader.sampler.type=InfiniteSampler', 'train_cfg._delete_=True', 'train_cfg.type=IterBasedTrainLoop',
        f'train_cfg.max_iters={iters}', 'default_hooks.checkpoint=None',
        f'default_hooks.logger.interval={p.log_interval}', f'log_processor.window_size={p.log_interval}',
        'log_processor.by_epoch=False', f'env_cfg.cudnn_benchmark={ctx.cuda}'
    ] + extra_options
    cmd = [sys.executable, str(TRAIN_TOOL), str(config), '--work-dir', str(work_dir), '--no-validate', '--seed', '0']
    return cmd + (['--amp'] if ctx.cuda else []) + ['--cfg-options'] + options


def borders_file_options(config: Path, folder: Path, bars_file: Path) -> List[str]:
    """The recipe's ``CropBorders`` pointed at the bars of these videos (measured once, as
    ``tools/check_dataset.py --borders`` would), so that the run costs what a run on a checked list does."""
    from mmengine.config import Config

    from mmrot3d.datasets.checks import video_borders
    from mmrot3d_harness.benchmark.plan import borders_options
    if not bars_file.is_file():
        bars_file.write_text(
            json.dumps({str(v.resolve()): video_borders(str(v)).to_dict()
                        for v in sorted(folder.glob('*.mp4'))}))
    return borders_options(Config.fromfile(config), bars_file, loaders=('train', ))  # the runs do not validate


def run_subprocess(cmd: List[str], log_file: Path, wall_s: float, log) -> Dict:
    """Run ``cmd`` (its own process group) with output to ``log_file``; stop it after ``wall_s``."""
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    env['PYTHONPATH'] = os.pathsep.join([str(ROOT)] + [x for x in env.get('PYTHONPATH', '').split(os.pathsep) if x])
    start = time.perf_counter()
    with open(log_file, 'w') as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env, start_new_session=True)
        cpu = ChildCpu(proc.pid)
        cpu.start()
        stopped = False
        while proc.poll() is None:
            if time.perf_counter() - start > wall_s:
                log(f'train: wall cap {wall_s:.0f} s reached; stopping the run')
                stopped = True
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                break
            time.sleep(0.5)
        cpu.stopped.set()
        cpu.join()
    return dict(
        returncode=proc.returncode,
        wall_s=time.perf_counter() - start,
        stopped_at_wall_cap=stopped,
        worker_cpu_s=sum(cpu.cpu.values()),
        workers_seen=len(cpu.cpu),
        main_process_cpu_s=cpu.parent_cpu,
        workers_started_after_s=(min(cpu.first_seen.values()) - start) if cpu.first_seen else None)


def read_scalars(work_dir: Path) -> List[Dict]:
    """The training iterations' log records (``time``, ``data_time``, ...) from scalars.json."""
    import json
    files = sorted(work_dir.glob('*/vis_data/scalars.json'))
    if not files:
        return []
    records = []
    for line in files[-1].read_text().splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:  # a line cut off when the run was stopped at its wall cap
            continue
    return [r for r in records if 'time' in r and 'data_time' in r]


def summarize_train(records: List[Dict], steady_after: int, batch: int) -> Dict:
    steady = [r for r in records if r.get('iter', r.get('step', 0)) > steady_after]
    out = dict(
        iterations_logged=max((r.get('iter', r.get('step', 0)) for r in records), default=0),
        windows=len(records),
        steady_windows=len(steady))
    for name, rs in (('all', records), ('steady', steady)):
        if rs:
            t = sum(r['time'] for r in rs)
            out[f'data_wait_share_{name}'] = sum(r['data_time'] for r in rs) / t
            out[f'rotated_clips_per_s_{name}'] = 4 * batch * len(rs) / t
    if steady:
        out['step_s_steady_median'] = statistics.median(r['time'] for r in steady)
        out['data_time_s_steady_median'] = statistics.median(r['data_time'] for r in steady)
        out['data_wait_share_steady_windows'] = [round(r['data_time'] / r['time'], 4) for r in steady]
    memory = [r['memory'] for r in records if 'memory' in r]
    if memory:
        out['gpu_memory_mib_max'] = max(memory)
    losses = [r['loss'] for r in records if 'loss' in r]
    if losses:
        out['loss_first'], out['loss_last'] = losses[0], losses[-1]
    return out


def section_train(ctx) -> Dict:
    """The config's own pipeline: decode, resize, crop, flip in the loader's workers."""
    return train_run(ctx, CONFIG, 'train', ctx.plan.train_options + ctx.args.train_cfg_options)


def section_train_device_aug(ctx) -> Dict:
    """The same run with crop, flip and normalisation on the device (the device-aug config)."""
    return train_run(ctx, DEVICE_AUG_CONFIG, 'train_device_aug',
                     ctx.plan.train_device_aug_options + ctx.args.train_cfg_options)


def train_run(ctx, config: Path, name: str, extra_options: List[str]) -> Dict:
    p = ctx.plan
    if ctx.videos is None:
        ctx.videos = make_videos(ctx.scratch / 'videos', p.videos, p.video_size, p.video_frames,
                                 len(os.sched_getaffinity(0)), ctx.log)
    folder, list_file = ctx.videos
    workers = choose_workers(ctx.args.workers)
    # the R3D-18 recipe's own setting: fp16 (--amp) in channels_last_3d on a GPU (ChannelsLast3dHook), fp32 on CPU
    synthetic = 'fp16+channels_last_3d' if ctx.cuda else 'fp32'
    rate = ctx.rates.get(synthetic) or ctx.rates.get('fp16' if ctx.cuda else 'fp32')
    step_s = 4 * p.train_batch / rate if rate else 0.1
    iters = int(min(p.train_iters[1], max(p.train_iters[0], 60 / step_s)))
    # what is left of the run's time limit, keeping the last section's budget and a margin
    wall_s = min(p.train_wall_s, ctx.time_left() - p.budgets.get('loader_cpu', 0) - 10)
    if wall_s < 20:
        raise TimeoutError(f'skipped: {ctx.time_left():.0f} s left of the time limit, too little for a train run')
    work_dir = ctx.scratch / f'{name}_work_dir'
    shutil.rmtree(work_dir, ignore_errors=True)
    extra_options = borders_file_options(config, folder, ctx.scratch / 'borders.json') + list(extra_options)
    cmd = train_command(ctx, config, folder, list_file, work_dir, workers, iters, extra_options)
    log_file = ctx.out / f'{name}.log'
    ctx.log(f'{name}: {iters} iterations x {p.train_batch} clips x 4 rotations, {workers} loader workers, '
            f'wall cap {wall_s:.0f} s; log: {log_file}')
    run = run_subprocess(cmd, log_file, wall_s, ctx.log)
    records = read_scalars(work_dir)
    if records:
        shutil.copy(sorted(work_dir.glob('*/vis_data/scalars.json'))[-1], ctx.out / f'{name}_scalars.json')
    summary = summarize_train(records, p.steady_after, p.train_batch)
    clips = summary['iterations_logged'] * p.train_batch
    # workers also decode the batches still queued when the run ends (<= workers x prefetch 2), so
    # this per-clip figure is an upper bound; the busy share says whether the workers were the limit
    run['worker_cpu_s_per_decoded_clip'] = run['worker_cpu_s'] / clips if clips else None
    busy_s = run['wall_s'] - (run['workers_started_after_s'] or 0)
    run['worker_busy_share'] = run['worker_cpu_s'] / (workers * busy_s) if busy_s > 0 else None
    # the whole run's CPU (training process + workers, start-up included: an upper bound) per rotated clip,
    # the cores it kept busy, and the cores one GPU needs at the target rate with this CPU per clip
    cpu_s = run['worker_cpu_s'] + run['main_process_cpu_s']
    run['cpu_s_per_rotated_clip'] = cpu_s / (4 * clips) if clips else None
    run['cores_busy'] = cpu_s / busy_s if busy_s > 0 else None
    run['cores_per_gpu_at_target'] = run['cpu_s_per_rotated_clip'] * TARGET_CLIPS_PER_S if clips else None
    if name == 'train':
        ctx.train_worker_cpu_per_clip = run['worker_cpu_s_per_decoded_clip']
    if run['returncode'] not in (0, None) and not run['stopped_at_wall_cap']:
        tail = log_file.read_text()[-3000:]
        ctx.log(f'{name}: tools/train.py exited with {run["returncode"]}; log tail:\n{tail}')
    if rate and 'rotated_clips_per_s_steady' in summary:
        # the same step fed from memory (throughput section, B clips per step): what the loader leaves of it
        summary['fed_fraction_vs_synthetic'] = summary['rotated_clips_per_s_steady'] / rate
        summary['synthetic_variant'] = synthetic if synthetic in ctx.rates else 'fp16'
    summary['target'] = dict(
        rotated_clips_per_s=TARGET_CLIPS_PER_S,
        data_wait_share=0.05,
        met=bool(
            ctx.cuda and summary.get('rotated_clips_per_s_steady', 0) >= TARGET_CLIPS_PER_S
            and summary.get('data_wait_share_steady', 1) <= 0.05))
    ctx.log(f'{name}: data wait share (steady) {summary.get("data_wait_share_steady")}, '
            f'{summary.get("rotated_clips_per_s_steady")} rotated clips/s')
    result = dict(
        config=str(config.relative_to(ROOT)),
        amp=ctx.cuda,
        command=' '.join(cmd),
        workers=workers,
        cores=len(os.sched_getaffinity(0)),
        max_iters=iters,
        batch_clips=p.train_batch,
        videos=dict(count=p.videos, size=list(p.video_size), frames=p.video_frames, codec='mp4v'),
        run=run,
        summary=summary,
        log=log_file.name,
        scalars=f'{name}_scalars.json')
    if not records or (run['returncode'] != 0 and not run['stopped_at_wall_cap']):
        # the report marks the section failed (and the script exits 1); what was measured stays beside it
        result['error'] = (f'tools/train.py exited with {run["returncode"]} after {len(records)} logged windows; '
                           f'see {log_file.name}')
    return result


# ---- e. CPU per decoded clip ------------------------------------------------------------------
def section_loader_cpu(ctx) -> Dict:
    """CPU seconds per decoded clip of the recipe pipeline in this process (decode, resize, crop,
    flip, format, pack), and the cores a GPU needs at the measured training rates."""
    p = ctx.plan
    if ctx.videos is None:
        ctx.videos = make_videos(ctx.scratch / 'videos', min(p.videos, 16), p.video_size, p.video_frames,
                                 len(os.sched_getaffinity(0)), ctx.log)
    t, h, _ = p.shape
    pipeline = common.recipe_pipeline(clip_len=t, crop=h, short_side=round(h * 128 / 112))
    dataset = common.build_dataset(*ctx.videos, pipeline)
    dataset[0]
    per_clip, wall = [], []
    for part in range(3):
        idx = [(part * p.loader_clips + i) % len(dataset) for i in range(max(1, p.loader_clips // 3))]
        c0, t0 = time.process_time(), time.perf_counter()
        for i in idx:
            dataset[i]
        per_clip.append((time.process_time() - c0) / len(idx))
        wall.append((time.perf_counter() - t0) / len(idx))
    cpu_s = statistics.median(per_clip)
    worker = ctx.train_worker_cpu_per_clip
    cores = []
    for variant, rate in ctx.rates.items():
        cores.append(
            dict(
                variant=variant,
                rotated_clips_per_s=rate,
                cores_in_model=rate / 4 * cpu_s,
                cores_one_rotation_per_decode=rate * cpu_s,
                cores_in_model_train_workers=rate / 4 * worker if worker else None))
    ctx.log(f'loader_cpu: {1000 * cpu_s:.1f} ms CPU per decoded clip in one process')
    return dict(
        pipeline='DecordInit, SampleFrames, DecordDecode, Resize, RandomCrop, Flip, FormatShape, '
        'PackActionInputs',
        video_size=list(p.video_size),
        clip=[t, h, h],
        cpu_ms_per_decoded_clip=1000 * cpu_s,
        cpu_ms_per_decoded_clip_passes=[1000 * x for x in per_clip],
        wall_ms_per_decoded_clip=1000 * statistics.median(wall),
        train_worker_cpu_ms_per_decoded_clip=1000 * worker if worker else None,
        cores_per_gpu=cores,
        note='cores = rotated clips/s / 4 (one decode per 4 rotations) x CPU s per decoded clip; '
        'one rotation per decode needs a decode per rotated clip (x4, rotation cost not counted)')
