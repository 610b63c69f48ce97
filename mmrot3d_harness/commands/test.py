"""Test a checkpoint, with MMAction2's ``tools/test.py`` flags and config handling:

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--dump FILE.pkl] [--cfg-options K=V ...]
        [--launcher none|pytorch|slurm|mpi]

It imports mmrot3d before reading CONFIG, so CONFIG may inherit ours with ``_base_ = ['mmrot3d::...']``.
"""
import argparse
import os
import os.path as osp

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
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg: Config, args) -> Config:
    """Merge CLI arguments into the config, as MMAction2's ``tools/test.py`` does."""
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
    # work_dir is determined in this priority: CLI > segment in file > filename
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
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
        runner.test()
