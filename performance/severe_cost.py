"""What SEVERE's table costs: per preset, the jobs, training steps and clips of its recipe, and what one
fine-tuning step of SEVERE's network (torchvision's R(2+1)D-18 on 32x112x112 clips, batch 32, Adam) takes.

    .venv/bin/python -m performance.severe_cost --out DIR                 # CPU: the plan, activations per clip
    python -m performance.severe_cost --device cuda --out DIR             # a GPU: + s/step, peak memory, GPU-hours

On any device it counts, from the configs in configs/severe/ and the datasets' sizes (SIZES), the steps and
clips of every job, and measures the activations autograd keeps for the backward pass of one 32x112x112 clip
(``saved_tensors_hooks``: the bytes of every saved tensor that is not a weight; the same tensors on every device,
fp32). On a GPU it also times training steps at batch 32 (fp32, and AMP fp16 as ``--amp`` would train) after
warm-up, reads ``torch.cuda.max_memory_allocated`` / ``max_memory_reserved``, and turns the step time into
GPU-hours per preset (model steps only: the decoding of 32-frame clips is not in it). Writes ``severe_cost.json``
and ``severe_cost.md`` to DIR.
"""
import argparse
import json
import math
import time
from pathlib import Path
from typing import Dict, List, Optional

import torch

from .common import synthetic_batch

ROOT = Path(__file__).resolve().parents[1]
# train and test videos of each preset, counted in SEVERE's shipped lists (SEVERE-BENCHMARK at 2f99365,
# action_recognition/data/): trainlist01 / testlist01; gym99_{train,val}; the 1000-sample draws; FX-S1 and UB-S1
# (Gym99 labels 6..16, 74..88); gym288_{train,val}; Diving48_V2_{train,test}.json; SSv2's validation JSON. Not
# counted here: SSv2's train JSON (not in the snapshot; 168,913 is the release's own figure) and Charades (7,985 /
# 1,863 videos in Charades_v1_{train,test}.csv, the release's figures; the list tool leaves out videos without
# actions).
SIZES = {
    'ucf101-severe': (9537, 3783),
    'sthv2': (168913, 24777),
    'gym99': (20484, 8521),
    'ucf101-1000': (1010, 3783),
    'gym99-1000': (1089, 8521),
    'fx-s1': (1882, 777),
    'ub-s1': (3511, 1471),
    'gym288': (22671, 9646),
    'diving48': (15027, 1970),
    'charades': (7985, 1863),
}
CONFIG = 'configs/severe/r2plus1d18-torchvision_pretrained_1xb32-32x1x1-160e_gym99-rgb.py'


def plan_rows(backbones: int = 2) -> List[Dict]:
    """Per preset: jobs (``backbones`` rows incl. the random init, a fine-tune and a test each), optimizer
    steps, training / validation / test clips of one fine-tuning job, from its config (the random init's where
    SEVERE has its own recipe)."""
    from mmengine.config import Config

    from mmrot3d_harness.benchmark.severe_presets import preset
    rows = []
    for name, (train, test) in SIZES.items():
        data = preset(name, {})
        row = dict(preset=name, train_videos=train, test_videos=test, jobs=2 * backbones)
        for init in ('pretrained', 'scratch'):
            cfg = Config.fromfile(data.config_path(1, scratch=init == 'scratch'))
            loader, loop = cfg.train_dataloader, cfg.train_cfg
            per_epoch = (math.floor if loader.get('drop_last') else math.ceil)(train / loader.batch_size)
            sample = next(t for t in cfg.test_dataloader.dataset.pipeline if t.type == 'SampleFrames')
            views = sample.num_clips * (3 if any(t.type == 'ThreeCrop'
                                                 for t in cfg.test_dataloader.dataset.pipeline) else 1)
            row[init] = dict(
                config=Path(cfg.filename).name,
                steps=loop.max_epochs * per_epoch,
                train_clips=loop.max_epochs * per_epoch * loader.batch_size,
                val_clips=(loop.max_epochs - loop.val_begin) // loop.val_interval * test + test,
                test_clips=views * test)
        rows.append(row)
    return rows


def build_model(device: str):
    from mmaction.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    import mmrot3d  # noqa: F401  (registers TorchvisionR2Plus1d)
    init_default_scope('mmaction')
    model = MODELS.build(Config.fromfile(ROOT / CONFIG).model)
    model.init_weights()
    return model.to(device).train()


def saved_activation_bytes(model, frames: int = 32, size: int = 112) -> int:
    """Bytes of the tensors autograd saves for the backward pass of one clip (weights excluded, each storage
    counted once)."""
    weights = {p.data_ptr() for p in model.parameters()}
    seen: Dict[int, int] = {}

    def pack(tensor):
        if tensor.data_ptr() not in weights:
            seen[tensor.data_ptr()] = max(seen.get(tensor.data_ptr(), 0), tensor.numel() * tensor.element_size())
        return tensor

    data = model.data_preprocessor(synthetic_batch(1, (frames, size, size), labels='gt'), True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        losses = model(**data, mode='loss')
    sum(losses[k] for k in losses if k.startswith('loss')).backward()
    return sum(seen.values())


def time_steps(model, amp: bool, batch: int = 32, warmup: int = 3, steps: int = 10) -> Dict:
    """Seconds per training step (fp32 or AMP fp16, Adam as the recipe) and the peak GPU memory."""
    from mmengine.optim import AmpOptimWrapper, OptimWrapper
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    wrapper = AmpOptimWrapper(optimizer=optimizer) if amp else OptimWrapper(optimizer=optimizer)
    data = synthetic_batch(batch, (32, 112, 112), labels='gt')
    for k in range(warmup + steps):
        if k == warmup:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            start = time.perf_counter()
        model.train_step(data, wrapper)
    torch.cuda.synchronize()
    return dict(
        s_per_step=(time.perf_counter() - start) / steps,
        peak_allocated_gib=torch.cuda.max_memory_allocated() / 2**30,
        peak_reserved_gib=torch.cuda.max_memory_reserved() / 2**30)


def markdown(report: Dict) -> str:
    lines = [
        '# SEVERE: cost per preset', '', report['note'], '',
        '| preset | train / test videos | jobs | steps (pretrained; random init) | training clips | test clips |' +
        (' GPU-hours, fp32 (all its jobs) |' if report.get('gpu') else ''),
        '|---|---|---|---|---|---|' + ('---|' if report.get('gpu') else '')
    ]
    for r in report['plan']:
        p, s = r['pretrained'], r['scratch']
        cells = [
            r['preset'], f"{r['train_videos']} / {r['test_videos']}",
            str(r['jobs']), f"{p['steps']}; {s['steps']}", f"{p['train_clips']}", f"{p['test_clips']}"
        ]
        if report.get('gpu'):
            cells.append(f"{(p['steps'] + s['steps']) * report['gpu']['fp32']['s_per_step'] / 3600:.1f}")
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines += [
        '', f"Autograd's saved activations per 32x112x112 clip (fp32): {report['activation_mib']:.0f} MiB "
        f"({report['activation_mib'] * 32 / 1024:.1f} GiB at batch 32, before weights, gradients, Adam's "
        'state and cuDNN workspaces).'
    ]
    for name, m in (report.get('gpu') or {}).items():
        lines.append(f"- {name}: {m['s_per_step']:.3f} s/step at batch 32; peak {m['peak_allocated_gib']:.1f} GiB "
                     f"allocated, {m['peak_reserved_gib']:.1f} GiB reserved")
    return '\n'.join(lines) + '\n'


def main(argv: Optional[List[str]] = None) -> Dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--device', default='cpu', help='cpu (plan and activations) or cuda (+ step time, memory)')
    parser.add_argument('--out', type=Path, default=Path('work_dirs/severe_cost'))
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    model = build_model('cpu')
    report = dict(
        device=args.device,
        plan=plan_rows(),
        activation_mib=saved_activation_bytes(model) / 2**20,
        note='Jobs: 2 backbones (yours and the random init), a fine-tune and a test each, one seed. Steps and clips '
        'from the configs and the datasets\' sizes (performance/severe_cost.py SIZES).')
    if args.device.startswith('cuda'):
        model = build_model(args.device)
        report['gpu'] = {'fp32': time_steps(model, amp=False), 'amp fp16': time_steps(model, amp=True)}
        report['gpu_name'] = torch.cuda.get_device_name()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / 'severe_cost.json').write_text(json.dumps(report, indent=1))
    (args.out / 'severe_cost.md').write_text(markdown(report))
    print(markdown(report))
    return report


if __name__ == '__main__':
    main()
