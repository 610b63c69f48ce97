"""4b. Is bf16 autocast safe to adopt for training? (the CPU lever that is fastest in ``cpu_levers``)

A few-step loss match says little about a whole run, so this trains the demo's model
(``configs/demo/rotnet3d_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-rgb.py``: narrow R3D-18, AdamW,
clip_grad) on the demo's
kind of data — synthetic actor clips, generated here if ``--synthetic-root`` is not given — for
``trials`` independent short runs per variant from the same initial weights and the same batches,
and counts the steps whose gradients contain NaN/inf (checked before the optimizer step: once
``clip_grad`` scales by a non-finite norm, every weight is NaN). fp32 is the control. Identical
inputs and weights make every fp32 trial identical, so a bf16 failure that comes and goes between
trials is the kernel, not the data.
"""
import copy
import sys
import tempfile
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.runner import Runner

from mmrot3d.utils.shipped_files import shipped_path
from . import common  # noqa: F401  (registries and the mmaction default scope)
from .timing import log, print_table

CONFIG = shipped_path('configs/demo/rotnet3d_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-rgb.py')


def _synthetic_lists(args) -> Path:
    if getattr(args, 'synthetic_root', None):
        return Path(args.synthetic_root)
    from tools.benchmark.datasets import prepare_synthetic
    root = Path(args.videos) if getattr(args, 'videos', None) else Path(tempfile.mkdtemp(prefix='mmrot3d_bench_'))
    log('[bf16_stability] generating a small synthetic actor set ...')
    prepare_synthetic(
        str(root / 'synthetic'),
        pretrain_clips=16 if args.quick else 160,
        clips_per_class=3,
        groups=3,
        actor_free=False)
    return root / 'synthetic'


def _batches(root: Path, count: int, batch_size: int):
    cfg = Config.fromfile(str(CONFIG))
    kin = root / 'kinetics_style'
    loader_cfg = copy.deepcopy(cfg.train_dataloader)
    loader_cfg.update(num_workers=0, persistent_workers=False, batch_size=batch_size)
    loader_cfg.dataset.update(
        ann_file=str(kin / 'kinetics400_train_list_videos.txt'), data_prefix=dict(video=str(kin / 'videos')))
    it = iter(Runner.build_dataloader(loader_cfg, seed=0))
    return cfg, [next(it) for _ in range(count)]


def _trial(base, optim_cfg, batches, dtype):
    model = copy.deepcopy(base)
    wrapper = build_optim_wrapper(model, copy.deepcopy(optim_cfg))
    clip, bad = wrapper._clip_grad, []

    def checked_clip():
        bad.extend(n for n, p in model.named_parameters() if p.grad is not None and not torch.isfinite(p.grad).all())
        clip()

    wrapper._clip_grad = checked_clip  # runs between backward and the step, every step (clip_grad is set)
    for step, batch in enumerate(batches, 1):
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=dtype == 'bf16'):
            loss = model.train_step(batch, wrapper)['loss']
        if bad:
            return dict(steps=step, nonfinite_at=step, params=sorted(set(bad)))
    return dict(steps=len(batches), nonfinite_at=None, params=[], final_loss=float(loss.detach()))


def measure(args) -> dict:
    if args.device != 'cpu':
        log('[bf16_stability] CPU only (on GPUs, AMP is MMEngine\'s AmpOptimWrapper); skipped')
        return dict(skipped='not cpu')
    # --quick is a smoke run of the code path (2 trials are the least that can show fp32 is repeatable), not a
    # measurement: bf16 failures are sporadic and need the full run's trials, steps and the demo's batch of 8.
    trials, steps, batch_size = (2, 2, 1) if args.quick else (args.repeats or 6, 12, 8)
    cfg, batches = _batches(_synthetic_lists(args), steps, batch_size)
    from mmaction.registry import MODELS
    torch.manual_seed(0)
    base = MODELS.build(cfg.model)
    base.init_weights()
    base.train()
    optim_cfg = dict(type='OptimWrapper', optimizer=dict(cfg.optim_wrapper.optimizer), clip_grad=dict(max_norm=40))
    log(f'[bf16_stability] demo model, {trials} trials x {steps} steps x {batch_size} clips x 4 rotations per variant, '
        f'same initial weights and batches; {torch.get_num_threads()} thread(s)')
    rows, runs = [], {}
    for dtype in ('fp32', 'bf16'):
        runs[dtype] = []
        for t in range(trials):
            r = _trial(base, optim_cfg, batches, dtype)
            runs[dtype].append(r)
            log(f'  {dtype} trial {t + 1}/{trials}: ' + (f'non-finite gradient at step {r["nonfinite_at"]} in '
                                                         f'{r["params"]}' if r['nonfinite_at'] else 'all finite'))
            sys.stdout.flush()
        failed = [r for r in runs[dtype] if r['nonfinite_at']]
        rows.append(
            dict(
                variant=dtype,
                trials=trials,
                steps_per_trial=steps,
                trials_with_nonfinite_grad=len(failed),
                first_bad_steps=','.join(str(r['nonfinite_at']) for r in failed) or '-',
                params=';'.join(sorted({p
                                        for r in failed
                                        for p in r['params']})) or '-',
                distinct_final_losses=len({r['final_loss']
                                           for r in runs[dtype] if not r['nonfinite_at']})))
    print_table('bf16 autocast stability, demo model and data (non-finite gradients before the optimizer step)', rows, [
        'variant', 'trials', 'steps_per_trial', 'trials_with_nonfinite_grad', 'first_bad_steps',
        'distinct_final_losses', 'params'
    ])
    return dict(
        description=__doc__.strip(),
        rows=rows,
        runs=runs,
        torch=torch.__version__,
        native_bf16=bool(torch.ops.mkldnn._is_mkldnn_bf16_supported()))
