#!/usr/bin/env python
"""Benchmark protocol for a dataset: pretrain once by rotation prediction, fine-tune every split from
the pretrained backbone and from scratch (3 seeds), test with 10 clips per video, judge the frozen
features (retrieval R@1/5/10/20/50, linear probe), report mean ± std, results.json and a figure.

    python tools/benchmark.py synthetic --work-dir work_dirs/benchmark_synthetic          # generated data
    python tools/benchmark.py ucf101 --pretrain-config configs/rotnet3d_kinetics.py \\
        --finetune-config configs/rotnet3d/benchmarks/<config>.py --pretrain-iters ... --finetune-iters ...

Recipes are chosen per arm on a validation split carved by group from split 1's training list.
"""
import argparse

import mmrot3d  # noqa: F401


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('dataset', choices=['synthetic', 'ucf101', 'hmdb51'])
    p.add_argument('--work-dir', default=None)
    p.add_argument('--data-root', default=None, help='synthetic: data/synthetic; ucf101: data/ucf101; ...')
    p.add_argument('--kinetics-root', default='data/kinetics400')
    p.add_argument('--pretrain-config', default=None)
    p.add_argument('--finetune-config', default=None)
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--splits', type=int, nargs='+', default=[1, 2, 3])
    p.add_argument('--frozen-splits', type=int, nargs='+', default=[1, 2, 3])
    p.add_argument('--pretrain-iters', type=int, default=None)
    p.add_argument('--finetune-iters', type=int, default=None)
    p.add_argument('--select-iters', type=int, default=None)
    p.add_argument('--batch-size', type=int, default=None)
    p.add_argument('--test-clips', type=int, default=10)
    p.add_argument('--verbose', action='store_true')
    a, rest = p.parse_known_args(argv)
    if a.dataset == 'synthetic':
        from mmrot3d.benchmark.demo import main as demo_main
        args = ['--work-dir', a.work_dir or 'work_dirs/benchmark_synthetic', '--data-root',
                a.data_root or 'data/synthetic', '--seeds', *map(str, a.seeds), '--splits', *map(str, a.splits),
                '--frozen-splits', *map(str, a.frozen_splits), '--test-clips', str(a.test_clips)]
        for key in ('pretrain_iters', 'finetune_iters', 'select_iters'):
            if getattr(a, key) is not None:
                args += ['--' + key.replace('_', '-'), str(getattr(a, key))]
        if a.verbose:
            args.append('--verbose')
        return demo_main(args + rest, label='benchmark')
    from mmrot3d.benchmark.datasets import hmdb51_spec, ucf101_spec
    from mmrot3d.benchmark.protocol import Settings, run_protocol
    if rest:
        p.error(f'unrecognised arguments: {rest}')
    spec = (ucf101_spec(a.data_root or 'data/ucf101', a.kinetics_root) if a.dataset == 'ucf101'
            else hmdb51_spec(a.data_root or 'data/hmdb51', a.kinetics_root))
    if not a.pretrain_config or not a.finetune_config:
        p.error('real datasets need --pretrain-config and --finetune-config (full-size R3D-18 configs)')
    s = Settings(work_dir=a.work_dir or f'work_dirs/benchmark_{a.dataset}', pretrain_config=a.pretrain_config,
                 finetune_config=a.finetune_config, splits=tuple(a.splits), seeds=tuple(a.seeds),
                 frozen_splits=tuple(a.frozen_splits), test_clips=a.test_clips, label='benchmark',
                 quiet_runners=not a.verbose)
    for key in ('pretrain_iters', 'finetune_iters', 'select_iters', 'batch_size'):
        if getattr(a, key) is not None:
            setattr(s, key, getattr(a, key))
    return run_protocol(spec, s)


if __name__ == '__main__':
    main()
