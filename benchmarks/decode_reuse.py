"""2. Decode reuse: rotated training clips per second that the data pipeline (real decord decoding
of mp4 files, a DataLoader with workers) delivers to the model, when the four rotations are made
in the model versus in the pipeline.

A "sample" is one rotated clip the backbone trains on. Every variant delivers the same samples per
step (4B rotated clips), ready on the device and normalised:

* ``in_model``: the pipeline decodes B clips once, un-rotated; ``RotationRecognizer.rotated_batch``
  (``rotate_in_model=True``) builds the 4 rotations after the data preprocessor. 1 decode / 4 samples.
* ``in_pipeline_all``: ``VideoRotation(mode='all')`` after the crop: each clip decoded once, then
  rotated, copied, collated, pinned/transferred and normalised 4 times. 1 decode / 4 samples.
* ``in_pipeline_random``: ``VideoRotation(mode='random')``, one rotation per decoded clip (the
  re-implementations' recipe); the same 4B rotated clips per step then cost 4B decodes. 1 decode / sample.
"""
import os
import statistics
import time

import torch
from torch.utils.data import DataLoader
from mmaction.registry import TRANSFORMS
from mmengine.dataset import pseudo_collate

from . import common
from .timing import current_memory_mib, interleave, log, peak_memory_mib, print_table, reset_peak_memory, summarize

VARIANTS = {
    'in_pipeline_all': (dict(type='VideoRotation', mode='all'), 1, False),
    'in_model': (None, 1, True),
    'in_pipeline_random': (dict(type='VideoRotation', mode='random'), 4, False),
}
BAR = 3.0
_TICKS = os.sysconf('SC_CLK_TCK')


def _process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc); 0 where it cannot be read."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    except (OSError, IndexError, ValueError):
        return 0.0


def _cpu_s(iterator) -> tuple:
    """CPU seconds so far of this process and of the DataLoader iterator's worker processes."""
    workers = getattr(iterator, '_workers', [])
    return time.process_time(), sum(_process_cpu_s(w.pid) for w in workers)


def stage_costs(folder, list_file, model, clips: int, rounds: int) -> dict:
    """Where the CPU time goes, stage by stage, in this one process: every pipeline transform,
    collate + the copy into shared memory that a DataLoader worker makes to hand a batch over, and
    the main process's data preprocessor (+ ``rotated_batch`` in-model), in ms per decoded clip
    (4 training samples for ``in_pipeline_all``/``in_model``, 1 for ``in_pipeline_random``).
    Unlike the loader measurement above, this does not depend on how other jobs share the cores."""
    names = [line.split()[0] for line in open(list_file) if line.strip()]
    steps = {v: [TRANSFORMS.build(t) for t in common.recipe_pipeline(rotation=VARIANTS[v][0])] for v in VARIANTS}
    cost = {v: {} for v in VARIANTS}

    def add(v, stage, seconds):
        cost[v][stage] = cost[v].get(stage, 0.0) + seconds

    for r in range(rounds + 1):  # round 0 warms up
        for v in VARIANTS:
            results = []
            for i in range(clips):
                res = dict(filename=str(folder / names[(r * clips + i) % len(names)]), label=0, start_index=0,
                           modality='RGB')
                for t in steps[v]:
                    start = time.perf_counter()
                    res = t(res)
                    add(v, type(t).__name__, time.perf_counter() - start)
                results.append(res)
            start = time.perf_counter()
            batch = pseudo_collate(results)
            batch['inputs'] = [x.clone().share_memory_() for x in batch['inputs']]
            add(v, 'collate+shared memory', time.perf_counter() - start)
            start = time.perf_counter()
            data = model.data_preprocessor(batch, training=True)
            if VARIANTS[v][2]:
                model.rotated_batch(data['inputs'], data['data_samples'])
            add(v, 'preprocess' + (' + rotated_batch' if VARIANTS[v][2] else ''), time.perf_counter() - start)
            if r == 0:
                cost[v].clear()
    for v in cost:
        cost[v] = {k: 1000 * s / (rounds * clips) for k, s in cost[v].items()}
    total = {v: sum(c.values()) for v, c in cost.items()}
    per_sample = {v: total[v] * VARIANTS[v][1] / 4 for v in VARIANTS}  # decodes per step / samples per step
    decode = {v: sum(ms for k, ms in c.items() if k.startswith('Decord')) for v, c in cost.items()}
    extra = total['in_pipeline_all'] - total['in_model']
    return dict(ms_per_decoded_clip=cost, total_ms=total, cpu_ms_per_sample=per_sample, decode_ms=decode,
                extra_ms_all_vs_model=extra,
                cpu_ratio_vs_all=per_sample['in_pipeline_all'] / per_sample['in_model'],
                cpu_ratio_vs_random=per_sample['in_pipeline_random'] / per_sample['in_model'],
                # in-model >= BAR x all needs total_model <= (total_model + extra) / BAR
                decode_ms_for_bar=max(0.0, decode['in_model'] - (total['in_model'] - extra / (BAR - 1))))


def measure(args) -> dict:
    device = args.device
    quick = args.quick
    wh = (170, 128) if quick else (340, 256)
    size = f'{wh[0]}x{wh[1]}'
    folder, list_file = common.get_videos(args, wh)
    clips, batches = (2, 3) if quick else (4, 12)  # clips decoded per step (x4 rotations = samples)
    workers = 1 if quick else 2
    repeats = 2 if quick else (args.repeats or 3)
    model = common.build_rotation(common.narrow_r3d(), 64, rotate_in_model=True, device=device)
    loaders, state = {}, {}
    for name, (rotation, decode_factor, in_model) in VARIANTS.items():
        per_step = clips * decode_factor
        ds = common.build_dataset(folder, list_file, common.recipe_pipeline(rotation=rotation),
                                  repeat=per_step * batches // 4 + 1)
        loaders[name] = DataLoader(ds, batch_size=per_step, num_workers=workers, persistent_workers=workers > 0,
                                   prefetch_factor=2 if workers else None, collate_fn=pseudo_collate,
                                   shuffle=False, drop_last=True, pin_memory=device.startswith('cuda'))
        state[name] = dict(bytes=[], mem=[], consumer_cpu=[], worker_cpu=[])

    def consume(name):
        in_model = VARIANTS[name][2]
        reset_peak_memory()
        base = current_memory_mib()
        count = 0
        iterator = iter(loaders[name])
        cpu_start = _cpu_s(iterator)
        for i, batch in enumerate(iterator):
            if i == batches:
                break
            state[name]['bytes'].append(sum(t.numel() * t.element_size() for t in batch['inputs']))
            data = model.data_preprocessor(batch, training=True)
            inputs, labels = model.rotated_batch(data['inputs'], data['data_samples']) if in_model else (
                data['inputs'], torch.stack([torch.as_tensor(s.rotation_label).view(-1) for s in data['data_samples']]))
            count += labels.numel()
            del data, inputs, labels
        cpu_end = _cpu_s(iterator)
        state[name]['consumer_cpu'].append((cpu_end[0] - cpu_start[0]) / count)
        state[name]['worker_cpu'].append((cpu_end[1] - cpu_start[1]) / count)
        if base is not None:
            state[name]['mem'].append((peak_memory_mib() - base, count))
        state[name]['samples'] = count

    log(f'[decode_reuse] {size} videos, recipe pipeline, {clips} clip(s) decoded per step x 4 rotations, '
        f'{batches} steps per pass, {workers} workers')
    times = interleave({n: (lambda n=n: consume(n)) for n in VARIANTS}, repeats, warmup=1, label='decode_reuse')
    work = {n: float(state[n]['samples']) for n in VARIANTS}
    summary = summarize(times, 'in_pipeline_all', work, unit='samples/s')
    rows = []
    for name, (rotation, decode_factor, in_model) in VARIANTS.items():
        s = summary[name]
        samples_per_step = 4 * clips
        mem = state[name]['mem']
        rows.append(dict(
            variant=name, samples_per_s=s['throughput'], ratio_vs_all=s['ratio'],
            ratio_vs_random=s['throughput'] / summary['in_pipeline_random']['throughput'],
            cpu_ms_per_sample=1000 * statistics.median(
                c + w for c, w in zip(state[name]['consumer_cpu'], state[name]['worker_cpu'])),
            worker_cpu_ms=1000 * statistics.median(state[name]['worker_cpu']),
            consumer_cpu_ms=1000 * statistics.median(state[name]['consumer_cpu']),
            decodes_per_sample=decode_factor / 4,
            loader_mib_per_sample=statistics.median(state[name]['bytes']) / samples_per_step / 2**20,
            peak_rise_mib_per_sample=(statistics.median(m for m, _ in mem) / samples_per_step) if mem else None))
    cpu = {r['variant']: r['cpu_ms_per_sample'] for r in rows}
    for r in rows:  # > 1: this variant needs less CPU (all processes) per training sample
        r['cpu_ratio_vs_all'] = cpu['in_pipeline_all'] / r['cpu_ms_per_sample']
        r['cpu_ratio_vs_random'] = cpu['in_pipeline_random'] / r['cpu_ms_per_sample']
    print_table('Decode reuse (rotated clips/s delivered to the model; ratios vs in-pipeline all-rotations / random; '
                'cpu_*: CPU time of the consumer and its workers per sample)',
                rows, ['variant', 'samples_per_s', 'ratio_vs_all', 'ratio_vs_random', 'cpu_ms_per_sample',
                       'worker_cpu_ms', 'consumer_cpu_ms', 'cpu_ratio_vs_all', 'cpu_ratio_vs_random',
                       'decodes_per_sample', 'loader_mib_per_sample', 'peak_rise_mib_per_sample'])
    ratio_all = summary['in_model']['ratio']
    ratio_random = rows[1]['ratio_vs_random']
    log(f'  bar: in_model >= {BAR}x in_pipeline_all -> {ratio_all:.2f}x ({"met" if ratio_all >= BAR else "NOT met"}); '
        f'vs one-rotation-per-decode (4 decodes per clip): {ratio_random:.2f}x; in CPU time per sample: '
        f'{rows[1]["cpu_ratio_vs_all"]:.2f}x / {rows[1]["cpu_ratio_vs_random"]:.2f}x')

    stages = stage_costs(folder, list_file, model, clips, rounds=2 if quick else 6)
    ms = stages['ms_per_decoded_clip']
    table = [dict(stage=k, **{v: ms[v].get(k) for v in VARIANTS}) for k in dict.fromkeys(k for v in VARIANTS for k in ms[v])]
    table.append(dict(stage='total per decoded clip', **stages['total_ms']))
    table.append(dict(stage='total per training sample', **stages['cpu_ms_per_sample']))
    print_table('Decode reuse, CPU cost by stage (ms per decoded clip, one process; in_pipeline_random decodes one '
                'clip per sample)', table, ['stage', *VARIANTS])
    log(f'  CPU cost per training sample: in_model is {stages["cpu_ratio_vs_all"]:.2f}x cheaper than in_pipeline_all, '
        f'{stages["cpu_ratio_vs_random"]:.2f}x cheaper than in_pipeline_random. in_model saves '
        f'{stages["extra_ms_all_vs_model"]:.1f} ms of rotate/copy/hand-over/normalise work per decoded clip over '
        f'in_pipeline_all; {BAR}x over it would need decoding (now {stages["decode_ms"]["in_model"]:.1f} ms) at '
        f'<= {stages["decode_ms_for_bar"]:.1f} ms')
    return dict(description=__doc__.strip(), video_size=size, clips_decoded_per_step=clips,
                samples_per_step=4 * clips, steps_per_pass=batches, num_workers=workers, repeats=repeats,
                rows=rows, variants=summary, stages=stages, bar=BAR, ratio_in_model_vs_all=ratio_all,
                ratio_in_model_vs_random=ratio_random, bar_met_vs_all=ratio_all >= BAR,
                bar_met_vs_random=ratio_random >= BAR)
