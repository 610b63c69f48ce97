#!/usr/bin/env python
"""Export a pretraining run's backbone for fine-tuning, as a plain tensor file with its origin
(loads with ``torch.load(weights_only=True)``):

    python tools/export_backbone.py WORK_DIR_OR_CHECKPOINT --out backbone.pth
"""
import argparse
import sys

import mmrot3d  # noqa: F401  (loading a full checkpoint needs the pinned stack's fixes)
from mmrot3d.models.backbone_io import BackboneCheckpointError, describe_export, export_backbone
from mmrot3d.utils.checkpoint import UntrustedCheckpointError
from mmrot3d.utils.distributed import launcher_rank


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('source', help='a training checkpoint, or a work dir (its latest checkpoint is used)')
    parser.add_argument('--out', required=True, help='the file to write, e.g. work_dirs/rotnet3d_kinetics/backbone.pth')
    parser.add_argument(
        '--prefix', default='backbone.', help='the module of the checkpoint to export (default: %(default)s)')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm'],
        default='none',
        help='under torchrun/srun: rank 0 writes the file, the other ranks do nothing')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if launcher_rank(args.launcher) != 0:  # one file, written once
        return
    try:
        meta = export_backbone(args.source, args.out, prefix=args.prefix)
    except (BackboneCheckpointError, UntrustedCheckpointError, FileNotFoundError) as err:
        sys.exit(f'error: {err}')
    print(f'wrote {args.out}: {meta["num_tensors"]} tensors, {meta["num_parameters"]:,} parameters '
          f'from {describe_export(meta)}')


if __name__ == '__main__':
    main()
