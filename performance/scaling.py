"""5. Scaling: rotation-training throughput and peak memory of R3D-18 (4 rotations made in the
model) as batch size, clip length and resolution grow, and the cost of the 10-clip test protocol
(10 uniformly sampled 16-frame clips per video, centre crop, decode + inference) per video.

Peak memory: on CPU the rise of this process's resident-set high-water mark over one step
(freed heap is returned with ``malloc_trim`` first); on CUDA ``max_memory_allocated``.
"""
import ctypes
import statistics
import time

import torch
from mmengine.dataset import Compose

from . import common
from .timing import (current_memory_mib, interleave, log, peak_memory_mib, print_table, reset_peak_memory, summarize,
                     sync)

try:
    _LIBC = ctypes.CDLL('libc.so.6')
except OSError:  # not glibc
    _LIBC = None


def trim() -> None:
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def measure(args) -> dict:
    device = args.device
    if args.quick:
        backbone, channels = common.narrow_r3d(8), 64
        grid = [(1, 8, 32), (2, 8, 32), (1, 16, 32), (1, 8, 64)]
        base = (1, 8, 32)
        model_name = 'R3D-18-narrow (base_channels=8)'
    else:
        backbone, channels = common.r3d18(), 512
        # (clips per step before x4 rotations, clip length, crop size); (1, 16, 112) = the recipe's clip
        grid = [(1, 16, 112), (2, 16, 112), (1, 8, 112), (1, 32, 112), (1, 16, 56), (1, 16, 160)]
        if device.startswith('cuda'):
            grid = [(b * 8, t, s) for b, t, s in grid]
        base = grid[0]
        model_name = 'R3D-18'
    torch.manual_seed(0)
    model = common.build_rotation(backbone, channels, rotate_in_model=True, device=device).train()
    wrapper = common.optim_wrapper(model, device, amp=getattr(args, 'amp', False))
    batches = {g: common.synthetic_batch(g[0], (g[1], g[2], g[2])) for g in grid}
    peaks = {g: [] for g in grid}

    def step(g):
        trim()
        before = current_memory_mib()
        reset_peak_memory()
        sync()
        start = time.perf_counter()
        common.train_step(model, batches[g], wrapper)
        sync()
        elapsed = time.perf_counter() - start
        if before is not None:
            peaks[g].append(peak_memory_mib() - before)
        return elapsed

    names = {g: f'B={g[0]}x4 T={g[1]} {g[2]}x{g[2]}' for g in grid}
    log(f'[scaling] {model_name}, training step, grid {list(names.values())}')
    times = interleave({names[g]: (lambda g=g: step(g)) for g in grid}, args.repeats or 2, warmup=1, label='scaling')
    summary = summarize(times, names[base], {names[g]: 4 * g[0] for g in grid}, unit='clips/s', label='scaling')
    rows = []
    for g in grid:
        s = summary[names[g]]
        rows.append(
            dict(
                clips_per_step=4 * g[0],
                clip_len=g[1],
                crop=g[2],
                clips_per_s=s['throughput'],
                step_s=s['median_s'],
                relative_cost_per_clip=1 / s['ratio'],
                voxels_relative=(g[1] * g[2]**2) / (base[1] * base[2]**2),
                peak_mem_mib=statistics.median(peaks[g]) if peaks[g] else None))
    print_table(f'Scaling, {model_name} rotation training (fwd+bwd+SGD; relative cost per clip vs '
                f'{names[base]})', rows, [
                    'clips_per_step', 'clip_len', 'crop', 'clips_per_s', 'step_s', 'relative_cost_per_clip',
                    'voxels_relative', 'peak_mem_mib'
                ])

    # 10-clip test protocol: decode 10 clips of one video (decord) + inference on the 10 clips.
    folder, list_file = common.get_videos(args, (170, 128) if args.quick else (340, 256))
    files = [str(folder / line.split()[0]) for line in list_file.read_text().split('\n') if line]
    clip_len, crop = (8, 32) if args.quick else (16, 112)
    test_pipe = Compose(
        common.recipe_pipeline(
            clip_len=clip_len, crop=crop, short_side=crop + 16 if args.quick else 128, num_clips=10, test_mode=True))
    model.eval()
    decoded = {}

    def decode(i=[0]):
        f = files[i[0] % len(files)]
        i[0] += 1
        decoded['last'] = test_pipe(dict(filename=f, start_index=0, modality='RGB', label=-1))

    def infer():
        data = model.data_preprocessor(
            dict(inputs=[decoded['last']['inputs']], data_samples=[decoded['last']['data_samples']]), training=False)
        with torch.no_grad():
            clips = data['inputs'].reshape((-1, ) + data['inputs'].shape[2:])  # (10, C, T, H, W)
            model.extract_feat(clips[:, None], stage='head')

    decode()
    log('[scaling] 10-clip test protocol per video: decode, inference')
    ttimes = interleave({
        'decode_10_clips': decode,
        'inference_10_clips': infer
    },
                        args.repeats or 3,
                        warmup=1,
                        label='test protocol')
    model.train()
    dec, inf = statistics.median(ttimes['decode_10_clips']), statistics.median(ttimes['inference_10_clips'])
    test_row = dict(
        clip_shape=f'{clip_len}x{crop}x{crop}',
        clips_per_video=10,
        decode_s_per_video=dec,
        inference_s_per_video=inf,
        total_s_per_video=dec + inf,
        videos_per_s=1 / (dec + inf),
        videos_per_hour=3600 / (dec + inf))
    print_table(f'10-clip test protocol, {model_name}, per video (decord, centre crop, no grad)', [test_row],
                list(test_row))
    return dict(description=__doc__.strip(), model=model_name, rows=rows, variants=summary, test_protocol=test_row)
