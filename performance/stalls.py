"""3. Data stalls: the share of a training run spent waiting for the DataLoader (real decord
decoding), for a demo-like setting and the paper's recipe, across DataLoader settings.

A "run" here is 2 short epochs with a fresh DataLoader (so worker start-up, and re-start at each
epoch without ``persistent_workers``, is counted as a user pays it); stall share = time blocked in
``next(iterator)`` / (that + ``model.train_step``); the steady-state share leaves out the first
batch of each epoch (what an iteration-based run with an ``InfiniteSampler`` sees).
"""
import statistics
import time

from mmengine.dataset import pseudo_collate
from torch.utils.data import DataLoader

from . import common
from .timing import interleave, log, print_table, sync

TARGET = 0.05

SETTINGS = {
    # name: num_workers, persistent_workers, prefetch_factor, decord num_threads
    'w0': (0, False, None, 1),
    'w1': (1, False, 2, 1),
    'w2': (2, False, 2, 1),
    'w2_persistent': (2, True, 2, 1),
    'w2_persistent_prefetch4': (2, True, 4, 1),
    'w2_persistent_decord2': (2, True, 2, 2),
}


def scenarios(quick: bool):
    if quick:
        return {
            'demo-like':
            dict(
                backbone=(common.narrow_r3d(4), 32),
                video=(170, 128),
                clip_len=8,
                crop=32,
                short_side=40,
                clips=2,
                steps=2,
                epochs=2,
                settings=['w0', 'w2_persistent'])
        }
    return {
        # configs/demo: narrow R3D-18 (base_channels=16), 16x56x56 crops (short side 64), 8 clips x 4
        # rotations per step; here from 170x128 mp4 files
        'demo-like':
        dict(
            backbone=(common.narrow_r3d(16), 128),
            video=(170, 128),
            clip_len=16,
            crop=56,
            short_side=64,
            clips=8,
            steps=4,
            epochs=2,
            settings=list(SETTINGS)),
        # configs/_base_/datasets/kinetics400_rotation.py + full R3D-18, 340x256 videos; 1 clip x 4
        # rotations per step (the recipe's 32 clips per step is ~100 s/step on 2 cores)
        'paper-recipe':
        dict(
            backbone=(common.r3d18(), 512),
            video=(340, 256),
            clip_len=16,
            crop=112,
            short_side=128,
            clips=1,
            steps=3,
            epochs=2,
            settings=['w0', 'w2_persistent']),
    }


def measure(args) -> dict:
    device = args.device
    out = {}
    for scen, cfg in scenarios(args.quick).items():
        folder, list_file = common.get_videos(args, cfg['video'], count=8)
        model = common.build_rotation(
            cfg['backbone'][0], cfg['backbone'][1], rotate_in_model=True, device=device).train()
        wrapper = common.optim_wrapper(model, device, amp=getattr(args, 'amp', False))
        records = {s: [] for s in cfg['settings']}

        def run(setting, cfg=cfg, folder=folder, list_file=list_file, model=model, wrapper=wrapper, records=records):
            workers, persistent, prefetch, threads = SETTINGS[setting]
            pipeline = common.recipe_pipeline(
                clip_len=cfg['clip_len'], crop=cfg['crop'], short_side=cfg['short_side'], decord_threads=threads)
            ds = common.build_dataset(folder, list_file, pipeline, repeat=max(1, cfg['clips'] * cfg['steps'] // 8 + 1))
            loader = DataLoader(
                ds,
                batch_size=cfg['clips'],
                num_workers=workers,
                persistent_workers=persistent,
                prefetch_factor=prefetch,
                collate_fn=pseudo_collate,
                shuffle=True,
                drop_last=True,
                pin_memory=device.startswith('cuda'))
            wait = compute = first = 0.0
            for _ in range(cfg['epochs']):
                t0 = time.perf_counter()
                it = iter(loader)
                for step in range(cfg['steps']):
                    batch = next(it)
                    t1 = time.perf_counter()
                    wait += t1 - t0
                    if step == 0:
                        first += t1 - t0
                    common.train_step(model, batch, wrapper)
                    sync()
                    t0 = time.perf_counter()
                    compute += t0 - t1
                del it
            del loader
            records[setting].append((wait, compute, first))
            return wait + compute

        log(f'[stalls] {scen}: {cfg["clips"]} clips x 4 rotations per step, {cfg["steps"]} steps x '
            f'{cfg["epochs"]} epochs per run, settings {cfg["settings"]}')
        warm = 0  # one training step first instead, so the first setting pays no model warm-up
        common.train_step(model, common.synthetic_batch(cfg['clips'], (cfg['clip_len'], cfg['crop'], cfg['crop'])),
                          wrapper)
        interleave({s: (lambda s=s: run(s))
                    for s in cfg['settings']},
                   args.repeats or 1,
                   warmup=warm,
                   label=f'stalls {scen}')
        for s in records:  # drop the warm-up runs
            records[s] = records[s][warm:]
        rows = []
        for s in cfg['settings']:
            shares = [w / (w + c) for w, c, _ in records[s]]
            steady = [(w - f) / (w - f + c) for w, c, f in records[s]]
            steps = cfg['steps'] * cfg['epochs']
            w, p, f, t = SETTINGS[s]
            rows.append(
                dict(
                    setting=s,
                    num_workers=w,
                    persistent_workers=p,
                    prefetch_factor=f,
                    decord_threads=t,
                    stall_share=statistics.median(shares),
                    steady_stall_share=statistics.median(steady),
                    first_batch_s=statistics.median(x[2] for x in records[s]) / cfg['epochs'],
                    wait_s_per_step=statistics.median(x[0] for x in records[s]) / steps,
                    step_s=statistics.median(x[1] for x in records[s]) / steps,
                    under_5pct=statistics.median(shares) < TARGET,
                    steady_under_5pct=statistics.median(steady) < TARGET))
        print_table(f'Data stalls, {scen} (share of run time waiting for data; target < {TARGET:.0%})', rows, [
            'setting', 'num_workers', 'persistent_workers', 'prefetch_factor', 'decord_threads', 'stall_share',
            'steady_stall_share', 'first_batch_s', 'wait_s_per_step', 'step_s', 'under_5pct'
        ])
        ok = [r['setting'] for r in rows if r['under_5pct']]
        steady_ok = [r['setting'] for r in rows if r['steady_under_5pct']]
        log(f'  settings under {TARGET:.0%}: {ok or "none"}; in steady state (first batch of each epoch '
            f'excluded, as with an InfiniteSampler): {steady_ok or "none"}')
        out[scen] = dict(
            config={
                k: v
                for k, v in cfg.items() if k != 'backbone'
            },
            rows=rows,
            settings_under_5pct=ok,
            settings_under_5pct_steady=steady_ok)
        del model, wrapper
    return dict(description=__doc__.strip(), target=TARGET, scenarios=out)
