"""Export a pretraining run's backbone for fine-tuning, as a plain tensor file with its origin
(loads with ``torch.load(weights_only=True)``):

    python tools/export_backbone.py WORK_DIR_OR_CHECKPOINT --out backbone.pth
    python tools/export_backbone.py WORK_DIR_OR_CHECKPOINT --out r3d_18.pth --format torchvision

``--format torchvision`` writes the state dict of the torchvision video model the run's backbone computes
(e.g. ``configs/rotnet3d/rotnet3d_r3d18-torchvision_*.py`` -> ``torchvision.models.video.r3d_18``), which
``r3d_18().load_state_dict(torch.load(PATH), strict=True)`` takes; its ``fc`` is zeros.
"""
import argparse
import os.path as osp

from mmrot3d.models.backbone_io import describe_export, export_backbone, resolve_checkpoint
from mmrot3d.models.converters.export import export_torchvision
from mmrot3d.utils.upstream_fixes import apply_tool_fixes
from ..distributed import launcher_rank
from ..run_logs import validations
from ..user_errors import exit_on_user_error

apply_tool_fixes()  # before anything reads a config or a checkpoint (mmrot3d/utils/upstream_fixes.py)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('source', help='a training checkpoint, or a work dir (its latest checkpoint is used)')
    parser.add_argument('--out', required=True, help='the file to write, e.g. work_dirs/rotnet3d_kinetics/backbone.pth')
    parser.add_argument(
        '--prefix', default='backbone.', help='the module of the checkpoint to export (default: %(default)s)')
    parser.add_argument(
        '--format',
        choices=['mmrot3d', 'torchvision'],
        default='mmrot3d',
        help="mmrot3d: tensors and their origin (fine-tuning, the benchmark); torchvision: the state dict of the "
        "torchvision video model the backbone computes (default: %(default)s)")
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
    with exit_on_user_error():
        export = export_torchvision if args.format == 'torchvision' else export_backbone
        run = osp.dirname(osp.abspath(resolve_checkpoint(args.source)))
        meta = export(args.source, args.out, prefix=args.prefix, validations=validations(run))
    what = f"torchvision's {meta['torchvision_model']} state dict, " if args.format == 'torchvision' else ''
    head = ' + fc (zeros)' if args.format == 'torchvision' else ''
    print(f'wrote {args.out}: {what}{meta["num_tensors"]} tensors{head}, {meta["num_parameters"]:,} parameters '
          f'from {describe_export(meta)}')
