"""One command for the CPU measurements of the performance suite (docs/performance.md):

* ``overhead``: a rotation pretraining step against MMAction2's supervised step on the same backbone;
* ``decode_reuse``: the data loader's CPU per rotated training sample against decoding alone, and the
  cores per GPU it takes;
* ``decoders``: decord, decord2, PyAV and torchcodec on the containers and codecs of a scraped dataset;
* ``pinning``: the benchmark's concurrent CPU jobs bound to cores of their own against placed by the OS;
* ``borders``: the Kinetics recipe's pipeline with ``CropBorders`` (bars listed, or measured afresh) against without.

    .venv/bin/python -m performance.run --json perf.json   # everything
    .venv/bin/python -m performance.run --quick            # smoke run
    .venv/bin/python -m performance.run --only overhead,decoders
    .venv/bin/python -m performance.run --device cuda --amp

Every measurement times its variants in this one process, repeats them and prints medians and ratios
against the baseline measured in the same run. The GPU figures have their own command,
``python -m performance.gpu``.
"""
import argparse
import json
import sys
import time
from pathlib import Path

MEASUREMENTS = ('overhead', 'decode_reuse', 'decoders', 'pinning', 'borders')


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--only', default=','.join(MEASUREMENTS), help=f'comma-separated subset of {",".join(MEASUREMENTS)}')
    parser.add_argument('--quick', action='store_true', help='small sizes and few repeats (smoke run)')
    parser.add_argument('--json', default=None, help='write all results to this JSON file')
    parser.add_argument('--device', default='cpu', help='cpu or cuda')
    parser.add_argument('--amp', action='store_true', help='on cuda: mixed precision (AmpOptimWrapper)')
    parser.add_argument('--repeats', type=int, default=None, help='override the per-measurement repeats')
    parser.add_argument(
        '--threads',
        type=int,
        default=1,
        help='torch intra-op threads on CPU (default 1; 0 = torch\'s choice). On a 2-core machine '
        'shared with other jobs, 2 OpenMP threads make steps randomly ~20x slower (a thread '
        'waits for its descheduled peer), which drowns every ratio; 1 thread is stable.')
    parser.add_argument('--videos', default=None, help='folder for benchmark videos (default: a temp dir)')
    parser.add_argument(
        '--decoder-site',
        action='append',
        default=[],
        metavar='NAME=DIR',
        help='decoders: a folder holding a decoder that cannot share the venv (decord2 installs as '
        '`decord`): `pip install --no-deps --target DIR decord2`, then --decoder-site decord2=DIR '
        '(also torchcodec=DIR)')
    parser.add_argument(
        '--gpu-clips-per-s',
        type=float,
        default=None,
        help='decode_reuse: R3D-18 16x112x112 rotated clips/s of one GPU for the cores-per-GPU table '
        '(default: the H200 AMP fp16 rate measured by performance/gpu.py)')
    args = parser.parse_args(argv)
    only = [m.strip() for m in args.only.split(',') if m.strip()]
    unknown = set(only) - set(MEASUREMENTS)
    if unknown:
        parser.error(f'unknown measurement(s) {sorted(unknown)}; choose from {MEASUREMENTS}')

    import importlib

    from . import timing
    if args.device.startswith('cuda'):
        import torch
        if not torch.cuda.is_available():
            parser.error('--device cuda but torch sees no GPU')
    timing.set_device(args.device)
    if args.threads and not args.device.startswith('cuda'):
        import torch
        torch.set_num_threads(args.threads)
    report = dict(
        command=' '.join(['python -m performance.run'] + list(argv if argv is not None else sys.argv[1:])),
        quick=args.quick,
        environment=timing.environment(args.device),
        results={},
        seconds={})
    for name in only:
        start = time.perf_counter()
        timing.log(f'=== {name} ===')
        module = importlib.import_module(f'.{name}', __package__)
        report['results'][name] = module.measure(args)
        report['seconds'][name] = round(time.perf_counter() - start, 1)
        timing.log(f'=== {name} done in {report["seconds"][name]} s ===')
        if args.json:  # keep partial results if a later measurement fails
            Path(args.json).write_text(json.dumps(report, indent=1, default=str))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, default=str))
        timing.log(f'wrote {args.json}')
    return report


if __name__ == '__main__':
    main()
