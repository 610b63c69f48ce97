"""Concurrent CPU jobs on cores of their own vs placed by the OS (docs/performance.md, section 7).

The benchmark's CPU plan (``mmrot3d_harness.benchmark.resources.plan_resources``: one single-thread job per core) run
with its own launcher (``mmrot3d_harness.benchmark.launch.JobProcess``) twice per round: each job bound to its core
slot, as the benchmark runs them, and every job left to the OS. A job is the demo's fine-tuning step on
its own: decord decodes 8 clips of 32 64x64 frames (every 4th frame kept, cropped to 48x48), then the narrow
R3D-18 (``Recognizer3D`` + ``I3DHead``, 12 classes) takes one fused-AdamW training step. The jobs start
together once each has built its model and warmed up; each times its own steps. Prints the median over
rounds of the jobs' mean seconds per step and CPU share, and the ratio floating / bound.

    .venv/bin/python -m performance.run --only pinning    # 3 rounds of 40 steps per job (--quick: 1 of 5)
"""
import argparse
import json
import os
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Dict, List

CLIPS, FRAMES, SIZE, CROP = 8, 32, 64, 48


def _job(folder: Path, steps: int) -> None:
    """One job: build, warm up, say ready, wait for go, time ``steps`` steps into ``result.json``."""
    import numpy as np
    import torch
    from decord import VideoReader
    from mmaction.structures import ActionDataSample
    from mmengine.optim import OptimWrapper

    from tests.small_backbones import narrow_r3d
    from .common import build_supervised
    torch.set_num_threads(1)
    model = build_supervised(
        narrow_r3d(16), 128, dict(type='I3DHead', spatial_type='avg', dropout_ratio=0.5), num_classes=12)
    wrapper = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-3, fused=True), clip_grad=dict(max_norm=40))
    videos = sorted(folder.parent.parent.glob('*.mp4'))  # work/ROUND/JOB

    def step(i: int) -> None:
        inputs, samples = [], []
        for k in range(CLIPS):
            frames = VideoReader(
                str(videos[(i * CLIPS + k) % len(videos)]),
                num_threads=1).get_batch(np.arange(0, FRAMES, 4)).asnumpy()  # (T, H, W, C)
            crop = frames[:, :CROP, :CROP]
            inputs.append(torch.from_numpy(np.ascontiguousarray(crop.transpose(3, 0, 1, 2)))[None])
            samples.append(ActionDataSample().set_gt_label(k % 12))
        model.train_step(dict(inputs=inputs, data_samples=samples), wrapper)

    for i in range(3):
        step(i)
    (folder / 'ready').touch()
    while not (folder.parent / 'go').exists():
        time.sleep(0.01)
    switches = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(steps):
        step(i)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    switches = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw - switches  # the process's threads waiting
    found = dict(
        step_s=wall / steps,
        cpu_share=cpu / wall,
        waits_per_clip=switches / (steps * CLIPS),
        cores=sorted(os.sched_getaffinity(0)))
    (folder / 'result.json').write_text(json.dumps(found))


def write_videos(folder: Path, count: int) -> None:
    """``count`` videos of ``FRAMES`` random ``SIZE`` x ``SIZE`` frames, the jobs' input, in ``folder``."""
    import numpy as np

    from mmrot3d_harness.video_io import write_video
    rng = np.random.default_rng(0)
    for i in range(count):
        write_video(folder / f'v{i}.mp4', rng.integers(0, 256, (FRAMES, SIZE, SIZE, 3), dtype=np.uint8))


def _round(root: Path, slots, bound: bool, steps: int) -> List[Dict]:
    """All jobs at once, one per core slot; returns each job's seconds per step, share of its wall time on a
    CPU and the cores it could run on."""
    from mmrot3d_harness.benchmark.launch import JobProcess
    root.mkdir(parents=True)
    jobs = []
    for i, cores in enumerate(slots):
        folder = root / f'job{i}'
        folder.mkdir()
        words = [sys.executable, '-m', 'performance.pinning', '--job', str(folder), '--steps', str(steps)]
        jobs.append(
            JobProcess(words, str(folder / 'log.txt'), {'OMP_NUM_THREADS': '1'}, signal.SIGKILL,
                       cores if bound else None))
    while not all((root / f'job{i}' / 'ready').exists() for i in range(len(slots))):
        if any(j.poll() not in (None, 0) for j in jobs):
            raise RuntimeError(f'a job failed: {root}/job*/log.txt')
        time.sleep(0.05)
    (root / 'go').touch()
    for i, j in enumerate(jobs):
        while j.poll() is None:
            time.sleep(0.05)
        if j.poll() != 0:
            raise RuntimeError(f'job {i} failed: {root}/job{i}/log.txt')
    return [json.loads((root / f'job{i}' / 'result.json').read_text()) for i in range(len(slots))]


def measure(args) -> dict:
    """The suite's entry (``performance.run``): both variants, interleaved over rounds."""
    import shutil

    from mmrot3d_harness.benchmark.resources import plan_resources
    from mmrot3d_harness.cores import available_cores, core_ids
    steps, rounds = (5, 1) if args.quick else (40, args.repeats or 3)
    ids = core_ids()
    if len(ids) < 2:
        print(f'  skipped: {len(ids)} core(s) known to this process; binding jobs needs 2 or more (and Linux)')
        return dict(skipped=f'{len(ids)} core ids')
    plan = plan_resources(available_cores(), core_ids=ids)
    print(f'  {plan.describe()}; {rounds} round(s) of {steps} steps per job', flush=True)
    work = Path(tempfile.mkdtemp(prefix='mmrot3d_pinning_'))
    write_videos(work, 12)
    times = {'bound': [], 'floating': []}
    for r in range(rounds):
        for name in (('bound', 'floating') if r % 2 == 0 else ('floating', 'bound')):
            found = _round(work / f'{r}-{name}', plan.core_slots, name == 'bound', steps)
            step_s, share, waits = (
                sum(f[k] for f in found) / len(found) for k in ('step_s', 'cpu_share', 'waits_per_clip'))
            times[name].append((step_s, share))
            print(
                f'  round {r + 1} {name:8s}: {step_s * 1e3:.0f} ms a step, {share:.0%} on a CPU, '
                f'{waits:.0f} voluntary context switches a decoded clip',
                flush=True)
    shutil.rmtree(work)
    out = {
        name: dict(step_s=median(t[0] for t in ts), cpu_share=median(t[1] for t in ts))
        for name, ts in times.items()
    }
    out.update(
        jobs=plan.jobs,
        steps=steps,
        rounds=rounds,
        floating_over_bound=out['floating']['step_s'] / out['bound']['step_s'])
    print(f'  {plan.jobs} concurrent jobs, median of {rounds} round(s): bound {out["bound"]["step_s"] * 1e3:.0f} ms a '
          f'step ({out["bound"]["cpu_share"]:.0%} on a CPU), floating {out["floating"]["step_s"] * 1e3:.0f} ms '
          f'({out["floating"]["cpu_share"]:.0%}): floating / bound = {out["floating_over_bound"]:.2f}')
    return out


if __name__ == '__main__':  # a job's own process, started by _round
    parser = argparse.ArgumentParser()
    parser.add_argument('--job', required=True)
    parser.add_argument('--steps', type=int, required=True)
    args = parser.parse_args()
    _job(Path(args.job), args.steps)
