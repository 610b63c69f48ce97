"""The main job (README command 1): synthetic data -> rotation pretraining -> fine-tuning from the
pretrained backbone and from scratch -> evaluation -> table, ``results.json`` and a figure."""
import argparse
from typing import Optional, Sequence

from .datasets import prepare_synthetic, synthetic_spec
from .protocol import Recipe, Settings, run_protocol

# Demo sizes: ~25 minutes on a 2-core CPU (measured; see docs/benchmark.md). 48 labelled clips per
# class in 24 UCF-style groups (2 clips each; UCF101 has 25 groups): a split trains on 16 groups
# (32 clips/class) and tests on 8 unseen ones. With only a few groups per class, a from-scratch
# network memorises the group's scene instead of the action and scores at or below chance on new groups.
DEMO = dict(pretrain_clips=4000, clips_per_class=48, groups=24, pretrain_iters=800, finetune_iters=600,
            select_iters=300)
# Smoke sizes: the whole pipeline in about a minute (tests, CI).
TINY = dict(pretrain_clips=48, clips_per_class=6, groups=3, pretrain_iters=4, finetune_iters=4, select_iters=2)


def parse_args(argv: Optional[Sequence[str]] = None, prog: str = 'demo') -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=prog, description=__doc__)
    p.add_argument('--data-root', default='data/synthetic')
    p.add_argument('--work-dir', default='work_dirs/demo')
    p.add_argument('--tiny', action='store_true', help='smoke-test sizes (about a minute; numbers meaningless)')
    p.add_argument('--seeds', type=int, nargs='+', default=[0], help='fine-tuning seeds (the benchmark uses 3)')
    p.add_argument('--splits', type=int, nargs='+', default=[1, 2, 3])
    p.add_argument('--frozen-splits', type=int, nargs='+', default=[1])
    for key in ('pretrain_clips', 'clips_per_class', 'groups', 'pretrain_iters', 'finetune_iters', 'select_iters'):
        p.add_argument('--' + key.replace('_', '-'), type=int, default=None)
    p.add_argument('--test-clips', type=int, default=None)
    p.add_argument('--workers', type=int, default=None, help='data generation processes (default: all cores)')
    p.add_argument('--loader-workers', type=int, default=None,
                   help='training/test loader processes that decode beside the training thread (demo: 1, tiny: 0)')
    p.add_argument('--threads', type=int, default=None,
                   help='torch CPU threads (default: OMP_NUM_THREADS or torch\'s choice); on a machine whose cores '
                        'other jobs also use, 1 thread is often several times faster than 2')
    p.add_argument('--verbose', action='store_true', help='full MMEngine logs for every run')
    return p.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None, label: str = 'demo') -> dict:
    a = parse_args(argv, prog=label)
    if a.threads:
        import torch
        torch.set_num_threads(a.threads)
    size = dict(TINY if a.tiny else DEMO)
    for key in size:
        if getattr(a, key, None) is not None:
            size[key] = getattr(a, key)
    s = Settings(work_dir=a.work_dir, pretrain_iters=size['pretrain_iters'], finetune_iters=size['finetune_iters'],
                 select_iters=size['select_iters'], splits=tuple(a.splits), seeds=tuple(a.seeds),
                 frozen_splits=tuple(a.frozen_splits), label=label, quiet_runners=not a.verbose)
    if a.tiny:
        s.pretrain_val_every, s.pretrain_val_clips, s.batch_size, s.test_clips = 2, 8, 4, 2
        s.recipes = dict(scratch=[Recipe(3e-3, 1.0)], pretrained=[Recipe(3e-3, 0.1)])
    if a.test_clips:
        s.test_clips = a.test_clips
    s.loader_workers = a.loader_workers if a.loader_workers is not None else (0 if a.tiny else 1)

    def prepare(stages):
        stages.say(f"generating/reusing {a.data_root} ({size['pretrain_clips']} pretraining clips, "
                   f"{size['clips_per_class']} labelled clips per class)")
        return prepare_synthetic(a.data_root, pretrain_clips=size['pretrain_clips'],
                                 clips_per_class=size['clips_per_class'], groups=size['groups'], workers=a.workers)

    return run_protocol(synthetic_spec(a.data_root), s, prepare)
