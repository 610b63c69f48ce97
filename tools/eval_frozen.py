#!/usr/bin/env python
"""Frozen-feature evaluation of any MMAction2 backbone: nearest-neighbour retrieval (R@1/5/10/20/50,
10 clips per video, cosine similarity, test videos query the training videos) and a linear probe.

    python tools/eval_frozen.py CONFIG [CHECKPOINT] [--train-list L --test-list L --data-root D]

CONFIG is any recognizer config with ``model.backbone`` and a ``test_pipeline`` (the lists default to
its ``ann_file_train`` / ``ann_file_test`` or ``ann_file_val``); CHECKPOINT is a backbone state dict,
a recognizer state dict, or an export of tools/export_backbone.py, loaded strictly (export a training
checkpoint's backbone first). Without it: random init.
"""
import argparse
import json
from pathlib import Path

import mmrot3d  # noqa: F401


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('config')
    p.add_argument('checkpoint', nargs='?')
    p.add_argument('--train-list')
    p.add_argument('--test-list')
    p.add_argument('--data-root')
    p.add_argument('--num-clips', type=int, default=10)
    p.add_argument('--work-dir', default='work_dirs/eval_frozen')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out', help='write the metrics as JSON here')
    a = p.parse_args(argv)
    from mmengine.config import Config
    from mmrot3d.benchmark.protocol import _with_clips, frozen_eval_cfg
    cfg = Config.fromfile(a.config)
    cfg.work_dir = a.work_dir
    cfg.randomness = dict(seed=a.seed)
    cfg.setdefault('custom_imports', dict(imports=[]))
    imports = list(cfg.custom_imports.get('imports', []))
    if 'mmrot3d' not in imports:
        imports.append('mmrot3d')
    cfg.custom_imports = dict(imports=imports, allow_failed_imports=False)
    train_list = a.train_list or cfg.get('ann_file_train')
    test_list = a.test_list or cfg.get('ann_file_test') or cfg.get('ann_file_val')
    root = a.data_root or cfg.get('data_root')
    if not (train_list and test_list and root is not None):
        p.error('give --train-list, --test-list and --data-root (the config defines no ann_file_*/data_root)')
    pipeline = cfg.get('test_pipeline') or cfg.get('val_pipeline')
    metrics = frozen_eval_cfg(cfg, train_list, test_list, root, _with_clips(pipeline, a.num_clips), a.checkpoint)
    print(json.dumps(metrics, indent=1))
    if a.out:
        Path(a.out).write_text(json.dumps(metrics, indent=1))
    return metrics


if __name__ == '__main__':
    main()
