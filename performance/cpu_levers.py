"""4. CPU speed levers for R3D-18 rotation training (the same step as in ``overhead``):
``channels_last_3d``, bf16 autocast, intra-op thread count and ``torch.compile``.

Every variant trains its own copy of one initialisation on the same batch, the same number of
steps, interleaved; the loss after each step is kept, so "faster without hurting the result" is
checked as the largest difference of the loss trajectory from the fp32 baseline's.
"""
import contextlib
import copy
import math
import os
import time

import torch

from mmrot3d.engine.hooks.channels_last_hook import to_channels_last_3d
from . import common
from .timing import interleave, log, print_table, summarize


def measure(args) -> dict:
    device = args.device
    cuda = device.startswith('cuda')
    if args.quick:
        scen = {'R3D-18 8x32x32': (common.r3d18(), 512, 1, (8, 32, 32))}
    else:
        scen = {
            'R3D-18 16x112x112': (common.r3d18(), 512, 1, (16, 112, 112)),
            'demo R3D-18 (16 base channels) 16x56x56': (common.narrow_r3d(16), 128, 8, (16, 56, 56))
        }
    default_threads = torch.get_num_threads()
    out = {}
    for title, (backbone, channels, clips, shape) in scen.items():
        torch.manual_seed(0)
        base = common.build_rotation(backbone, channels, rotate_in_model=True, device=device).train()
        batch = common.synthetic_batch(clips, shape)
        variants = {
            'fp32': {},
            'channels_last_3d': dict(channels_last=True),
            'bf16_autocast': dict(autocast=torch.bfloat16),
            'channels_last_3d+bf16': dict(channels_last=True, autocast=torch.bfloat16)
        }
        if not cuda:
            alt = (os.cpu_count() or 2) if default_threads == 1 else 1
            variants[f'threads={alt}'] = dict(threads=alt)
        else:
            variants['fp16_autocast'] = dict(autocast=torch.float16)
        if not args.quick:
            variants['torch.compile'] = dict(compile=True)
        models, wrappers, losses, notes = {}, {}, {}, {}
        for name, opt in variants.items():
            m = copy.deepcopy(base)
            if opt.get('channels_last'):
                to_channels_last_3d(m.backbone)  # what ChannelsLast3dHook does
            if opt.get('compile'):
                m.backbone = torch.compile(m.backbone)
            models[name] = m
            wrappers[name] = common.optim_wrapper(m, device)
            losses[name] = []

        def step(name):
            opt = variants[name]
            if opt.get('threads'):
                torch.set_num_threads(opt['threads'])
            ctx = (
                torch.autocast(device_type='cuda' if cuda else 'cpu', dtype=opt['autocast'])
                if opt.get('autocast') else contextlib.nullcontext())
            try:
                with ctx:
                    log_vars = models[name].train_step(batch, wrappers[name])
            finally:
                torch.set_num_threads(default_threads)
            losses[name].append(float(torch.as_tensor(log_vars['loss']).detach()))

        if 'torch.compile' in variants:
            log(f'[cpu_levers] {title}: compiling (first call, forward + backward) ...')
            start = time.perf_counter()
            try:
                step('torch.compile')
                notes['torch.compile'] = f'first-call compile {time.perf_counter() - start:.0f} s'
            except Exception as e:  # a missing compiler, an unsupported op: record, do not abort the suite
                notes['torch.compile'] = f'failed: {type(e).__name__}: {str(e).splitlines()[0][:200]}'
                del variants['torch.compile'], models['torch.compile']
            log(f'  torch.compile: {notes["torch.compile"]}')
            losses.get('torch.compile', []).clear()
        log(f'[cpu_levers] {title}: {clips} clip(s) x 4 rotations, variants {list(variants)}')
        times = interleave({n: (lambda n=n: step(n))
                            for n in variants},
                           args.repeats or (2 if args.quick else 3),
                           warmup=1,
                           label=f'cpu_levers {title}')
        summary = summarize(
            times, 'fp32', {n: 4 * clips
                            for n in variants}, unit='clips/s', label=f'cpu_levers {title}')
        # losses: same number of steps for all but torch.compile (its compile call was dropped)
        ref = losses['fp32']
        rows = []
        for n in variants:
            ls = losses[n]
            k = min(len(ls), len(ref))
            off = len(ref) - k
            diffs = [abs(a - b) for a, b in zip(ls[-k:], ref[off:])]
            finite = all(math.isfinite(x) for x in ls)
            diff = (max(diffs) if finite else float('nan')) if diffs else None
            note = notes.get(n, '')
            if not finite:
                bad = next(i for i, x in enumerate(ls) if not math.isfinite(x))
                note = (note + '; ' if note else '') + f'NON-FINITE loss from step {bad + 1} of {len(ls)}'
            rows.append(
                dict(
                    variant=n,
                    clips_per_s=summary[n]['throughput'],
                    ratio=summary[n]['ratio'],
                    ratio_cpu=summary[n].get('ratio_cpu'),
                    final_loss=ls[-1] if ls else None,
                    max_loss_diff_vs_fp32=diff,
                    finite=finite,
                    losses=ls,
                    note=note))
        print_table(
            f'CPU levers, {default_threads} thread(s), {title} '
            f'(ratio > 1: faster than fp32 with {default_threads} thread(s))', rows,
            ['variant', 'clips_per_s', 'ratio', 'ratio_cpu', 'final_loss', 'max_loss_diff_vs_fp32', 'note'])
        out[title] = dict(rows=rows, variants=summary, default_threads=default_threads)
        models.clear(), wrappers.clear()  # free this scenario's models before the next one is built
        base = None
    return dict(description=__doc__.strip(), scenarios=out)
