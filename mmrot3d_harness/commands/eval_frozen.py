"""Frozen-feature evaluation of any MMAction2 backbone: nearest-neighbour retrieval (R@1/5/10/20/50,
cosine similarity, test videos query the training videos) and a linear probe, on one or more splits
from a single pass over their videos (features averaged over the test pipeline's clips, 10 by default).

    python tools/eval_frozen.py CONFIG [CHECKPOINT] [--split TRAIN_LIST TEST_LIST ...] [--data-root DIR]
        [--num-clips 10] [--prefix backbone.] [--out metrics.json] [--cfg-options K=V ...]
        [--launcher none|pytorch|slurm]

CONFIG is any recognizer config with ``model.backbone`` and a ``test_pipeline``; without ``--split``
its ``ann_file_train`` / ``ann_file_test`` (or ``ann_file_val``) and ``data_root`` are used. CHECKPOINT
is a backbone export (tools/export_backbone.py) or a plain tensor state dict, loaded strictly (names
under ``--prefix`` are the backbone's); without it the backbone keeps its random init (the control).
Prints and writes ``{"split1": {"retrieval_R_at_1": ..., "linear_probe_top1": ...}, ...}``.
"""
import argparse
import json
import os
import sys
from pathlib import Path

from mmengine.config import Config, DictAction
from mmengine.dist import get_rank

from mmrot3d.apis.feature_extraction import frozen_features
from mmrot3d.evaluation.frozen_protocol import evaluate_splits, union_list
from mmrot3d.utils.atomic_io import write_text_atomic
from mmrot3d.utils.upstream_fixes import apply_tool_fixes
from ..distributed import start_ranks
from ..progress import CountProgress
from ..user_errors import exit_on_user_error

apply_tool_fixes()  # before anything reads a config or a checkpoint (mmrot3d/utils/upstream_fixes.py)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('config')
    p.add_argument('checkpoint', nargs='?', help='backbone file (default: random init)')
    p.add_argument(
        '--split',
        nargs=2,
        action='append',
        metavar=('TRAIN_LIST', 'TEST_LIST'),
        help='a split to evaluate (repeat for several; named split1, split2, ... in order)')
    p.add_argument('--data-root', help="the lists' video folder (default: the config's data_root)")
    p.add_argument('--num-clips', type=int, default=None, help="clips per video (default: the test pipeline's)")
    p.add_argument('--prefix', default='backbone.', help='key prefix of the backbone in CHECKPOINT')
    p.add_argument('--work-dir', default='work_dirs/eval_frozen')
    p.add_argument('--seed', type=int, default=0, help='seed of the random init')
    p.add_argument('--out', help='write the metrics as JSON here')
    p.add_argument('--cfg-options', nargs='+', action=DictAction, help='override config settings (key=value)')
    p.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none')
    p.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = p.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return p, args


def main(argv=None):
    p, a = parse_args(argv)
    cfg = Config.fromfile(a.config)
    if a.cfg_options:
        cfg.merge_from_dict(a.cfg_options)
    pairs = a.split or [(cfg.get('ann_file_train'), cfg.get('ann_file_test') or cfg.get('ann_file_val'))]
    root = a.data_root or cfg.get('data_root')
    if not all(x for pair in pairs for x in pair) or root is None:
        p.error('give --split TRAIN_LIST TEST_LIST and --data-root (the config defines no ann_file_*/data_root)')
    for path in [x for pair in pairs for x in pair]:
        if not Path(path).is_file():
            sys.exit(f'error: {path}: video list not found')
    splits = [(f'split{i}', train, test) for i, (train, test) in enumerate(pairs, 1)]
    with exit_on_user_error(ValueError):  # a malformed line, named LIST:LINE
        videos = union_list(splits, Path(a.work_dir) / 'videos.txt')
    if a.launcher != 'none':
        start_ranks(a.launcher)  # NCCL with one GPU per rank where CUDA is available, else gloo
    with exit_on_user_error():  # every video counts: the first bad one stops, named
        progress = CountProgress('frozen features', 0, 'videos') if get_rank() == 0 else None
        features = frozen_features(cfg, str(videos), root, a.num_clips, a.checkpoint, a.prefix, a.seed, progress)
    if get_rank() != 0:
        return None
    metrics = evaluate_splits(features, splits, root)
    print(json.dumps(metrics, indent=1))
    if a.out:
        write_text_atomic(a.out, json.dumps(metrics, indent=1))
    return metrics
