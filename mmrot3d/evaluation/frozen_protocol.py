"""Frozen-feature evaluation of a backbone on several splits from one pass over the videos.

Every video of every split is encoded once (``mmrot3d.apis.frozen_features``: the backbone's pooled features
averaged over the test pipeline's clips, e.g. 10); each split is then judged from those features by
``FrozenFeatureMetric``'s retrieval (test videos query the training videos, R@1/5/10/20/50) and
linear probe. UCF101's three splits share all 13,320 videos, so this costs a third of three passes.
"""
import os.path as osp
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import torch

from ..datasets.video_list import read_video_list, write_video_list
from .metrics.frozen_features import FrozenFeatureMetric

Split = Tuple[str, str, str]  # (name, train list, test list)


def union_list(splits: Sequence[Split], out: Path) -> Path:
    """Every video of the splits' lists once (first occurrence order)."""
    seen, entries = set(), []
    for _, train, test in splits:
        for path in (train, test):
            for e in read_video_list(path):
                if e.error:
                    raise ValueError(f'{path}:{e.lineno}: {e.error}')
                if e.path not in seen:
                    seen.add(e.path)
                    entries.append(e)
    return write_video_list(out, entries)


def evaluate_splits(features: List[Dict], splits: Sequence[Split], root: str) -> Dict[str, Dict[str, float]]:
    """Retrieval and linear probe per split from the features of all videos."""
    by_file = {osp.normpath(r['filename']): r for r in features}
    out = {}
    for name, train, test in splits:
        metric = FrozenFeatureMetric(gallery_ann_file=train, data_prefix=root)
        results = []
        for path in (train, test):
            for e in read_video_list(path):
                r = by_file[osp.normpath(osp.join(root, e.path))]
                feature = torch.as_tensor(r['feature']).float().view(-1)
                results.append(dict(feature=feature, label=int(r['label']), gallery=path == train))
        out[name] = {k: float(v) for k, v in metric.compute_metrics(results).items()}
    return out
