"""What ``tools/train.py``, ``tools/test.py``, ``tools/export_backbone.py`` and
``tools/trust_checkpoint.py`` do. Train and test mirror MMAction2 1.2.0's own tools (same flags,
same config handling): they build a Runner from the config and run it."""
import argparse
import os
import os.path as osp
import sys
from typing import Optional, Sequence

import torch
from mmengine.config import Config, DictAction

from ..utils.checkpoint import UntrustedCheckpointError
from .backbone_io import BackboneCheckpointError

CFG_OPTIONS_HELP = ('override some settings in the used config, the key-value pair in xxx=yyy format will be '
                    'merged into config file. If the value to be overwritten is a list, it should be like '
                    'key="[a,b]" or key=a,b It also allows nested list/tuple values, e.g. '
                    'key="[(a,b),(c,d)]" Note that the quotation marks are necessary and that no white '
                    'space is allowed.')
# Errors a user makes (a file that does not fit, or that we refuse to unpickle): one line, no traceback.
USER_ERRORS = (BackboneCheckpointError, UntrustedCheckpointError, FileNotFoundError)


def _parse_with_launcher(parser: argparse.ArgumentParser, argv: Optional[Sequence[str]]) -> argparse.Namespace:
    """Add the distributed-launch flags train and test share, parse, and export ``LOCAL_RANK``."""
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
                        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def parse_train_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a recognizer (3DRotNet pretraining or fine-tuning)')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument('--resume', nargs='?', type=str, const='auto',
                        help='If specify checkpoint path, resume from it, while if not specify, try to auto '
                        'resume from the latest checkpoint in the work directory.')
    parser.add_argument('--amp', action='store_true', help='enable automatic-mixed-precision training')
    parser.add_argument('--no-validate', action='store_true',
                        help='whether not to evaluate the checkpoint during training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='whether to auto scale the learning rate according to the actual batch size '
                        'and the original batch size.')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument('--diff-rank-seed', action='store_true',
                        help='whether or not set different seeds for different ranks')
    parser.add_argument('--deterministic', action='store_true',
                        help='whether to set deterministic options for CUDNN backend.')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help=CFG_OPTIONS_HELP)
    return _parse_with_launcher(parser, argv)


def _default_work_dir(cfg: Config, args) -> None:
    # work_dir is determined in this priority: CLI > segment in file > filename
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])


def merge_train_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Merge CLI arguments into the config, exactly as MMAction2's ``tools/train.py`` does."""
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    cfg.launcher = args.launcher
    _default_work_dir(cfg, args)
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


def build_runner(cfg: Config):
    from mmaction.registry import RUNNERS
    from mmengine.runner import Runner
    if 'runner_type' not in cfg:
        return Runner.from_cfg(cfg)
    return RUNNERS.build(cfg)


def _run(action) -> None:
    try:
        action()
    except USER_ERRORS as err:
        sys.exit(f'error: {err}')


def train_main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_train_args(argv)
    cfg = merge_train_args(Config.fromfile(args.config), args)
    _run(lambda: build_runner(cfg).train())


def parse_test_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (and evaluate) a trained model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='the directory to save the file containing evaluation metrics')
    parser.add_argument('--dump', type=str, help='dump predictions to a pickle file for offline evaluation')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help=CFG_OPTIONS_HELP)
    parser.add_argument('--show-dir', help='directory where the visualization images will be saved.')
    parser.add_argument('--show', action='store_true', help='whether to display the prediction results in a window.')
    parser.add_argument('--interval', type=int, default=1, help='visualize per interval samples.')
    parser.add_argument('--wait-time', type=float, default=2, help='display time of every window. (second)')
    return _parse_with_launcher(parser, argv)


def merge_test_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Merge CLI arguments into the config, exactly as MMAction2's ``tools/test.py`` does."""
    if args.show or (args.show_dir is not None):
        assert 'visualization' in cfg.default_hooks, \
            'VisualizationHook is not set in the `default_hooks` field of config. Please set ' \
            '`visualization=dict(type="VisualizationHook")`'
        cfg.default_hooks.visualization.enable = True
        cfg.default_hooks.visualization.show = args.show
        cfg.default_hooks.visualization.wait_time = args.wait_time
        cfg.default_hooks.visualization.out_dir = args.show_dir
        cfg.default_hooks.visualization.interval = args.interval
    if args.dump is not None:
        assert args.dump.endswith(('.pkl', '.pickle')), 'The dump file must be a pkl file.'
        dump_metric = dict(type='DumpResults', out_file_path=args.dump)
        if isinstance(cfg.test_evaluator, (list, tuple)):
            cfg.test_evaluator = list(cfg.test_evaluator) + [dump_metric]
        else:
            cfg.test_evaluator = [cfg.test_evaluator, dump_metric]
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    _default_work_dir(cfg, args)
    cfg.load_from = args.checkpoint
    return cfg


def test_main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_test_args(argv)
    cfg = merge_test_args(Config.fromfile(args.config), args)
    _run(lambda: build_runner(cfg).test())


def export_backbone_main(argv: Optional[Sequence[str]] = None) -> None:
    from .backbone_io import describe_export, export_backbone
    parser = argparse.ArgumentParser(
        description='Export the backbone of a pretraining checkpoint as a plain tensor state dict '
        '(loads with torch.load(weights_only=True)) for fine-tuning.')
    parser.add_argument('source', help='a training checkpoint, or a work dir (its latest checkpoint is used)')
    parser.add_argument('--out', required=True, help='the file to write, e.g. work_dirs/rotnet3d_kinetics/backbone.pth')
    parser.add_argument('--prefix', default='backbone.',
                        help='the module of the checkpoint to export (default: %(default)s)')
    args = parser.parse_args(argv)

    def export():
        meta = export_backbone(args.source, args.out, prefix=args.prefix)
        print(f'wrote {args.out}: {meta["num_tensors"]} tensors, {meta["num_parameters"]:,} parameters '
              f'from {describe_export(meta)}')
    _run(export)


def trust_checkpoint_main(argv: Optional[Sequence[str]] = None) -> None:
    from ..utils.checkpoint import trust_checkpoint, trust_store_path
    parser = argparse.ArgumentParser(
        description='Record checkpoints as trusted, so that full (pickled) checkpoints load with --resume, '
        'load_from or tools/test.py. Only do this for files whose origin you trust: unpickling can run code.')
    parser.add_argument('checkpoints', nargs='+', help='checkpoint files')
    args = parser.parse_args(argv)
    for path in args.checkpoints:
        if not osp.isfile(path):
            sys.exit(f'error: {path}: no such file')
        sha = trust_checkpoint(path)
        print(f'trusted {path} (sha256 {sha}) in {trust_store_path()}')
