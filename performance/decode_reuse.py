"""2. Decode reuse: the CPU the data loader spends per rotated training sample, against the floor
of decoding alone, for rotations made in the model (one decode, four samples) and in the pipeline.

A "sample" is one rotated clip the backbone trains on. Every variant runs through the same real
``DataLoader`` (workers, persistent, prefetch 2; the thread settings of MMEngine's Runner:
``opencv_num_threads=0``, torch 1 thread per worker, decord 1 thread), on the same mp4 files with
the recipe's sampling (16 frames, stride 2):

* ``decode_floor``: ``DecordInit + SampleFrames + DecordDecode`` only; the worker's collate drops
  the frames. Its CPU per decoded clip / 4 is the floor per sample.
* ``in_model``: the paper's recipe as MMAction2 packs it (decode, resize to short side 128, random crop
  112, flip on the CPU; the class label packed as a tensor); the model makes the 4 rotations.
* ``in_model_drop_label``: the same with ``DropKeys(keys=('label',))`` before packing, as
  ``configs/_base_/datasets/kinetics400_rotation.py`` does (pretraining never reads the label).
* ``in_model_resized_decode``: that, with ``ResizedDecordInit``: decord decodes straight to the
  resized size (no ``Resize`` step).
* ``in_model_one_block``: ``in_model_drop_label`` handed over by ``clip_batch_collate``: a batch's clips in
  one shared-memory block instead of one per clip, as ``configs/_base_/datasets/kinetics400_rotation.py``
  does (the same clips arrive).
* ``in_model_device_aug``: the pipeline decodes and resizes; ``CropFlipDataPreprocessor`` crops,
  flips and normalises where the model runs (config ``rotnet3d_r3d18-device-aug_1xb32-16x2x1-50e_kinetics400-rgb.py``).
* ``in_pipeline_random``: the recipe (label dropped) + ``VideoRotation(mode='random')``: one rotation
  per decoded clip (the re-implementations' recipe), so 4 decodes for the 4 samples of one clip.

CPU per sample is split where it is spent: ``worker`` (the loader's worker processes,
``/proc/<pid>/stat``), ``receive`` (the training process inside ``next(iterator)``: unpickling the
batch, mapping its shared memory) and ``device_side`` (data preprocessor + ``rotated_batch``: on a
GPU this work runs on the device; here it runs on the CPU). ``loader`` = worker + receive.
"""
import os
import statistics
import time
from multiprocessing import resource_sharer
from multiprocessing.reduction import ForkingPickler

import torch
import torch.multiprocessing  # noqa: F401  (registers the tensor reductions ForkingPickler uses)
from mmaction.registry import MODELS, TRANSFORMS
from mmengine.dataset import pseudo_collate
from mmengine.utils.dl_utils import set_multi_processing
from torch.utils.data import DataLoader

from mmrot3d.datasets import clip_batch_collate
from tests.small_backbones import narrow_r3d
from . import common
from .timing import log, print_table

GOAL_FLOOR, GOAL_RANDOM = 1.25, 3.5  # loader CPU per sample <= 1.25x the floor; >= 3.5x less than random
# R3D-18 16x112x112 rotated clips per second that one GPU trains on (32 clips x 4 rotations per step):
# measured by performance/gpu.py on an NVIDIA H200 with AMP fp16 (docs/gpu/gpu.json; 2463 with
# channels_last_3d as well). --gpu-clips-per-s gives another GPU's rate.
GPU_CLIPS_PER_S = 1713
_TICKS = os.sysconf('SC_CLK_TCK')


def variants() -> dict:
    """name: (pipeline config, samples per decoded clip, preprocessor None | 'plain' | 'crop_flip',
    rotations made in the model)."""
    recipe = common.recipe_pipeline()  # [init, sample, decode, resize, crop, flip, format, pack]
    decode, resize, fmt, pack = recipe[:3], recipe[3:4], recipe[-2:-1], recipe[-1:]
    no_label = fmt + [dict(type='DropKeys', keys=('label', ))] + pack
    resized = [dict(type='ResizedDecordInit', scale=(-1, 128))] + recipe[1:3]
    random = common.recipe_pipeline(rotation=dict(type='VideoRotation', mode='random'))
    return {
        'decode_floor': (decode, 4, None, False),
        'in_model': (recipe, 4, 'plain', True),
        'in_model_drop_label': (recipe[:-2] + no_label, 4, 'plain', True),
        'in_model_resized_decode': (resized + recipe[4:6] + no_label, 4, 'plain', True),
        'in_model_one_block': (recipe[:-2] + no_label, 4, 'plain', True),
        'in_model_device_aug': (decode + resize + no_label, 4, 'crop_flip', True),
        'in_pipeline_random': (random[:-2] + no_label, 1, 'plain', False),
    }


# how a variant's batches are collated in the worker (default: MMEngine's pseudo_collate)
COLLATE = dict(in_model_one_block=clip_batch_collate)


def _process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc); 0 where it cannot be read."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    except (OSError, IndexError, ValueError):
        return 0.0


def drop_frames(batch) -> int:
    """The floor's collate: the decoded frames go no further than the worker."""
    return len(batch)


def worker_thread_settings(_index) -> dict:
    """What a loader worker runs with (read inside the worker, after decoding one clip)."""
    import cv2
    return dict(
        torch_threads=torch.get_num_threads(),
        opencv_threads=cv2.getNumThreads(),
        os_threads=len(os.listdir('/proc/self/task')))


class _ThreadProbe(torch.utils.data.Dataset):

    def __init__(self, dataset):
        self.dataset = dataset

    def __len__(self):
        return 1

    def __getitem__(self, index):
        self.dataset[index]
        return worker_thread_settings(index)


def build_preprocessors(device: str) -> dict:
    model = common.build_rotation(narrow_r3d(), 64, rotate_in_model=True, device=device)
    crop_flip = MODELS.build(dict(common.preprocessor(), type='CropFlipDataPreprocessor', crop_size=112)).to(device)
    return dict(model=model, plain=model.data_preprocessor, crop_flip=crop_flip)


def stage_costs(folder, list_file, built: dict, table: dict, clips: int, rounds: int) -> dict:
    """CPU time (``time.process_time``) of every step in this one process, in ms per decoded clip:
    each pipeline transform, collate + pickling the batch as a worker does to hand it over (each tensor
    copied into a shared-memory block of its own, its file descriptor registered), and the device side
    (data preprocessor (+ crop/flip) + ``rotated_batch``). The consumer's unpickling is not here (it
    needs a second process): the loader table's ``receive`` column has it."""
    names = [line.split()[0] for line in open(list_file) if line.strip()]
    steps = {v: [TRANSFORMS.build(t) for t in spec[0]] for v, spec in table.items()}
    cost = {v: {} for v in table}

    def add(v, stage, start):
        cost[v][stage] = cost[v].get(stage, 0.0) + time.process_time() - start

    for r in range(rounds + 1):  # round 0 warms up
        for v, (_, _, pre, in_model) in table.items():
            results = []
            for i in range(clips):
                res = dict(
                    filename=str(folder / names[(r * clips + i) % len(names)]), label=0, start_index=0, modality='RGB')
                for t in steps[v]:
                    start = time.process_time()
                    res = t(res)
                    add(v, type(t).__name__, start)
                results.append(res)
            if pre is not None:
                start = time.process_time()
                batch = COLLATE.get(v, pseudo_collate)(results)
                ForkingPickler.dumps(batch)  # what a worker does to put it on its queue: every tensor to shm
                add(v, 'collate + pickle to shared memory', start)
                start = time.process_time()
                data = built[pre](batch, training=True)
                if in_model:
                    built['model'].rotated_batch(data['inputs'], data['data_samples'])
                add(v, 'device side', start)
            if r == 0:
                cost[v].clear()
        resource_sharer.stop()  # close the file descriptors the pickling registered (nobody will fetch them)
    return {v: {k: 1000 * s / (rounds * clips) for k, s in c.items()} for v, c in cost.items()}


def cores_per_gpu(loader_ms_per_sample: dict, gpu_clips_per_s: float) -> list:
    """Cores whose whole time goes to the loader at ``gpu_clips_per_s`` rotated clips per second."""
    return [
        dict(
            variant=v,
            loader_ms_per_sample=ms,
            gpu_clips_per_s=gpu_clips_per_s,
            cores_per_gpu=gpu_clips_per_s * ms / 1000) for v, ms in loader_ms_per_sample.items()
    ]


def measure(args) -> dict:
    device, quick = args.device, args.quick
    wh = (170, 128) if quick else (340, 256)
    size = f'{wh[0]}x{wh[1]}'
    folder, list_file = common.get_videos(args, wh)
    clips, batches = (2, 3) if quick else (4, 12)  # clips decoded per step (x4 = samples per step)
    workers = 1 if quick else 2
    repeats = 1 if quick else (args.repeats or 7)
    set_multi_processing(mp_start_method='fork', opencv_num_threads=0)  # what MMEngine's Runner sets
    table = variants()
    built = build_preprocessors(device)
    loaders = {}
    for name, (pipeline, per_decode, pre, _) in table.items():
        per_step = clips * 4 // per_decode  # decodes per step: every variant delivers 4 * clips samples
        dataset = common.build_dataset(folder, list_file, pipeline, repeat=per_step * batches // 4)
        loaders[name] = DataLoader(
            dataset,
            batch_size=per_step,
            num_workers=workers,
            persistent_workers=True,
            prefetch_factor=2,
            shuffle=False,
            pin_memory=device.startswith('cuda'),
            collate_fn=drop_frames if pre is None else COLLATE.get(name, pseudo_collate))
    probe = DataLoader(
        _ThreadProbe(loaders['in_model'].dataset), batch_size=1, num_workers=1, collate_fn=lambda batch: batch[0])
    threads = next(iter(probe))
    state = {n: dict(worker=[], receive=[], device=[], wall=[], samples=0) for n in table}

    def one_pass(name):
        _, per_decode, pre, in_model = table[name]
        iterator = iter(loaders[name])
        pids = [w.pid for w in iterator._workers]
        worker_start = sum(_process_cpu_s(p) for p in pids)
        wall_start = time.perf_counter()
        receive = device_side = 0.0
        decodes = 0
        while True:
            start = time.process_time()
            try:
                batch = next(iterator)
            except StopIteration:
                break
            receive += time.process_time() - start
            start = time.process_time()
            if pre is None:
                decodes += batch
                continue
            decodes += len(batch['inputs'])
            data = built[pre](batch, training=True)
            if in_model:
                built['model'].rotated_batch(data['inputs'], data['data_samples'])
            device_side += time.process_time() - start
        wall = time.perf_counter() - wall_start
        samples = decodes * per_decode
        for key, value in (('worker', sum(_process_cpu_s(p) for p in pids) - worker_start), ('receive', receive),
                           ('device', device_side), ('wall', wall)):
            state[name][key].append(value / samples)
        state[name]['samples'] = samples

    log(f'[decode_reuse] {size} mp4 videos, {clips} clip(s) decoded per step x 4 rotations = {4 * clips} samples '
        f'per step, {batches} steps per pass, {workers} worker(s), {repeats} interleaved passes per variant')
    for name in table:
        one_pass(name)  # warm-up: workers start, decoders and allocators warm
    for r in range(repeats):
        order = list(table)[r % len(table):] + list(table)[:r % len(table)]
        for name in order:
            one_pass(name)
        log(f'  [decode_reuse] pass {r + 1}/{repeats} done')

    def ms(name, key):
        return 1000 * statistics.median(state[name][key])

    floor = ms('decode_floor', 'worker') + ms('decode_floor', 'receive')
    rows = []
    for name, (_, per_decode, pre, _) in table.items():
        loader = statistics.median(w + r for w, r in zip(state[name]['worker'], state[name]['receive']))
        rows.append(
            dict(
                variant=name,
                worker_ms=ms(name, 'worker'),
                receive_ms=ms(name, 'receive'),
                loader_ms=1000 * loader,
                device_side_ms=ms(name, 'device') if pre else None,
                samples_per_s=1 / statistics.median(state[name]['wall']),
                decodes_per_sample=1 / per_decode))
    random_loader = rows[-1]['loader_ms']
    random_total = random_loader + rows[-1]['device_side_ms']
    for row in rows:
        row['x_floor'] = row['loader_ms'] / floor
        row['x_less_than_random'] = random_loader / row['loader_ms']
        if row['device_side_ms'] is not None:  # everything on this CPU, device side included
            row['x_less_than_random_with_device_side'] = random_total / (row['loader_ms'] + row['device_side_ms'])
    print_table(
        f'Decode reuse through the loader (CPU ms per rotated training sample; floor = decoding alone '
        f'= {floor:.2f} ms; goals: x_floor <= {GOAL_FLOOR}, x_less_than_random >= {GOAL_RANDOM})', rows, [
            'variant', 'worker_ms', 'receive_ms', 'loader_ms', 'device_side_ms', 'x_floor', 'x_less_than_random',
            'x_less_than_random_with_device_side', 'samples_per_s', 'decodes_per_sample'
        ])
    best = min(rows[1:-1], key=lambda r: r['loader_ms'])
    log(f'  worker thread settings: {threads}')
    log(f'  best: {best["variant"]}: {best["x_floor"]:.2f}x the floor (goal <= {GOAL_FLOOR}: '
        f'{"met" if best["x_floor"] <= GOAL_FLOOR else "NOT met"}), {best["x_less_than_random"]:.2f}x less than '
        f'one rotation per decode (goal >= {GOAL_RANDOM}: '
        f'{"met" if best["x_less_than_random"] >= GOAL_RANDOM else "NOT met"})')

    gpu_rate = getattr(args, 'gpu_clips_per_s', None) or GPU_CLIPS_PER_S
    cores = cores_per_gpu({r['variant']: r['loader_ms'] for r in rows if r['variant'] != 'decode_floor'}, gpu_rate)
    print_table(
        f'CPU cores per GPU to keep R3D-18 16x112x112 rotation pretraining fed at {gpu_rate:g} rotated '
        'clips/s per GPU (loader CPU per sample measured above x GPU rate; this machine\'s cores)', cores,
        ['variant', 'loader_ms_per_sample', 'gpu_clips_per_s', 'cores_per_gpu'])

    stages = stage_costs(folder, list_file, built, table, clips, rounds=1 if quick else 6)
    stage_rows = [
        dict(stage=k, **{v: stages[v].get(k)
                         for v in table}) for k in dict.fromkeys(k for v in table for k in stages[v])
    ]
    loader_one = {v: sum(ms_ for k, ms_ in c.items() if k != 'device side') for v, c in stages.items()}
    stage_rows.append(dict(stage='loader total per decoded clip', **loader_one))
    stage_rows.append(dict(stage='loader total per sample', **{v: loader_one[v] / table[v][1] for v in table}))
    print_table(
        'Decode reuse, CPU by stage in one process (ms per decoded clip; in_pipeline_random decodes one clip '
        'per sample)', stage_rows, ['stage', *table])
    inflation = (floor * 4) / loader_one['decode_floor']
    log(f'  the loader\'s workers spend {inflation:.2f}x the one-process CPU on decoding alone (two decoding '
        'processes and the consumer share the cores)')
    return dict(
        description=__doc__.strip(),
        video_size=size,
        clips_decoded_per_step=clips,
        samples_per_step=4 * clips,
        steps_per_pass=batches,
        num_workers=workers,
        repeats=repeats,
        rows=rows,
        floor_ms_per_sample=floor,
        cores_per_gpu=cores,
        worker_thread_settings=threads,
        best=best['variant'],
        goal_floor=GOAL_FLOOR,
        goal_random=GOAL_RANDOM,
        goal_floor_met=best['x_floor'] <= GOAL_FLOOR,
        goal_random_met=best['x_less_than_random'] >= GOAL_RANDOM,
        stages_ms_per_decoded_clip=stages,
        one_process_loader_ms_per_decoded_clip=loader_one,
        loader_inflation_vs_one_process=inflation)
