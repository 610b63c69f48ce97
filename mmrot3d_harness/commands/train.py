"""Train with a config, with MMAction2's ``tools/train.py`` flags and config handling:

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp] [--no-validate] [--auto-scale-lr]
        [--seed N] [--deterministic] [--cfg-options K=V ...] [--launcher none|pytorch|slurm|mpi]

It imports mmrot3d before reading CONFIG, so CONFIG may inherit ours with ``_base_ = ['mmrot3d::...']``.
A pretrained backbone, checkpoint or missing file that does not fit stops the run with one ``error:`` line.
"""
import argparse
import os
import os.path as osp
import sys

import torch
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from mmrot3d.utils.upstream_fixes import apply_tool_fixes
from ..user_errors import exit_on_user_error

apply_tool_fixes()  # before anything reads a config or a checkpoint (mmrot3d/utils/upstream_fixes.py)

CFG_OPTIONS_HELP = ('override some settings in the used config, the key-value pair in xxx=yyy format will be '
                    'merged into config file. If the value to be overwritten is a list, it should be like '
                    'key="[a,b]" or key=a,b It also allows nested list/tuple values, e.g. '
                    'key="[(a,b),(c,d)]" Note that the quotation marks are necessary and that no white '
                    'space is allowed.')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a recognizer (3DRotNet pretraining or fine-tuning)')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='If specify checkpoint path, resume from it, while if not specify, try to auto '
        'resume from the latest checkpoint in the work directory.')
    parser.add_argument('--amp', action='store_true', help='enable automatic-mixed-precision training')
    parser.add_argument(
        '--no-validate', action='store_true', help='whether not to evaluate the checkpoint during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='whether to auto scale the learning rate according to the actual batch size '
        'and the original batch size.')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument(
        '--diff-rank-seed', action='store_true', help='whether or not set different seeds for different ranks')
    parser.add_argument(
        '--deterministic', action='store_true', help='whether to set deterministic options for CUDNN backend.')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help=CFG_OPTIONS_HELP)
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg: Config, args) -> Config:
    """Merge CLI arguments into the config, as MMAction2's ``tools/train.py`` does."""
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    cfg.launcher = args.launcher
    # work_dir is determined in this priority: CLI > segment in file > filename
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.amp is True:
        if not torch.cuda.is_available():
            # MMEngine's AmpOptimWrapper is fp16 with a CUDA loss scaler; bf16 autocast on CPU is not
            # offered: its conv3d backward gave non-finite weight gradients (docs/performance.md).
            sys.exit('error: --amp needs a CUDA GPU (mixed precision is GPU-only in mmrot3d; on CPU train '
                     'without --amp)')
        optim_wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        assert optim_wrapper in ['OptimWrapper', 'AmpOptimWrapper'], \
            f'`--amp` is not supported custom optimizer wrapper type `{optim_wrapper}.'
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if cfg.get('randomness', None) is None:
        cfg.randomness = dict(seed=args.seed, diff_rank_seed=args.diff_rank_seed, deterministic=args.deterministic)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def main(argv=None):
    args = parse_args(argv)
    cfg = merge_args(Config.fromfile(args.config), args)
    with exit_on_user_error():
        if 'runner_type' not in cfg:
            runner = Runner.from_cfg(cfg)
        else:
            from mmaction.registry import RUNNERS
            runner = RUNNERS.build(cfg)
        runner.train()
