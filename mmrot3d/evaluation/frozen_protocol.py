"""Frozen-feature evaluation of a backbone on several splits from one pass over the videos.

Every video of every split is encoded once (``FeatureExtractor``: the backbone's pooled features
averaged over the test pipeline's clips, e.g. 10); each split is then judged from those features by
``FrozenFeatureMetric``'s retrieval (test videos query the training videos, R@1/5/10/20/50) and
linear probe. UCF101's three splits share all 13,320 videos, so this costs a third of three passes.
"""
import copy
import os.path as osp
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.config import Config
from mmengine.evaluator import BaseMetric, Evaluator

from ..datasets.video_list import read_video_list, write_video_list
from .metrics.frozen_features import FrozenFeatureMetric

Split = Tuple[str, str, str]  # (name, train list, test list)


class _FeatureCollector(BaseMetric):
    """Keeps every video's feature, label and file name (gathered on rank 0)."""
    default_prefix = 'features'

    def __init__(self):
        super().__init__(collect_device='cpu')
        self.collected: List[Dict] = []

    def process(self, data_batch, data_samples) -> None:
        for sample in data_samples:
            self.results.append(
                dict(
                    feature=torch.as_tensor(sample['feature']).float().view(-1),
                    label=int(torch.as_tensor(sample['gt_label']).view(-1)[0]),
                    filename=osp.normpath(sample['filename'])))

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        self.collected = results
        return dict(videos=len(results))


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


def with_clips(pipeline: List[Dict], num_clips: Optional[int]) -> List[Dict]:
    """A copy of a test pipeline sampling ``num_clips`` clips (None: as it is) and packing the file name."""
    pipeline = copy.deepcopy(list(pipeline))
    for t in pipeline:
        if t['type'] == 'SampleFrames' and num_clips:
            t['num_clips'] = num_clips
        if t['type'] == 'PackActionInputs':
            keys = tuple(t.get('meta_keys', ('img_shape', )))
            t['meta_keys'] = keys if 'filename' in keys else keys + ('filename', )
    return pipeline


def feature_config(cfg: Config,
                   video_list: str,
                   root: str,
                   num_clips: Optional[int],
                   checkpoint: Optional[str],
                   prefix: str = 'backbone.') -> Config:
    """Turn a recognizer config into a feature-extraction run over ``video_list``."""
    model = cfg.model
    cfg.model = dict(
        type='FeatureExtractor',
        backbone=model['backbone'],
        neck=model.get('neck'),
        data_preprocessor=model.get('data_preprocessor'),
        checkpoint=checkpoint,
        prefix=prefix)
    loader = copy.deepcopy(cfg.get('test_dataloader') or {})
    # Every video counts in retrieval and the probe: the first unreadable one stops the run, named
    # (max_bad_fraction=0); a short video is looped by SampleFrames, as in testing (min_frames=1).
    dataset = dict(
        type='RobustVideoDataset',
        ann_file=video_list,
        data_prefix=dict(video=root),
        test_mode=True,
        max_bad_fraction=0.0,
        min_frames=1,
        pipeline=with_clips(cfg.get('test_pipeline') or loader['dataset']['pipeline'], num_clips))
    cfg.test_dataloader = dict(
        batch_size=loader.get('batch_size', 4),
        num_workers=loader.get('num_workers', 0),
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dataset)
    cfg.test_evaluator = dict(type='AccMetric')  # replaced by the feature collector in extract_features()
    cfg.test_cfg = dict(type='TestLoop')
    for key in ('train_dataloader', 'train_cfg', 'optim_wrapper', 'param_scheduler', 'val_dataloader', 'val_cfg',
                'val_evaluator', 'auto_scale_lr'):
        cfg[key] = None
    cfg.default_hooks.pop('pretrained_backbone', None)
    cfg.load_from, cfg.resume = None, False
    return cfg


def extract_features(cfg: Config) -> List[Dict]:
    """Run a :func:`feature_config` config; every video's ``feature``, ``label`` and ``filename``."""
    from mmengine.model import is_model_wrapper
    from mmengine.runner import Runner, TestLoop
    runner = Runner.from_cfg(cfg)
    runner.call_hook('before_run')
    model = runner.model.module if is_model_wrapper(runner.model) else runner.model  # DDP under torchrun
    model.init_weights()  # random init, then the strict backbone load (FeatureExtractor)
    collector = _FeatureCollector()
    loop = TestLoop(runner, copy.deepcopy(cfg.test_dataloader), Evaluator([collector]))
    runner._test_loop = loop  # the loop hooks see (SkippedVideosHook stops at a bad video of its dataset)
    loop.run()
    runner.call_hook('after_run')
    return collector.collected


def evaluate_splits(features: List[Dict], splits: Sequence[Split], root: str) -> Dict[str, Dict[str, float]]:
    """Retrieval and linear probe per split from the features of all videos."""
    by_file = {r['filename']: r for r in features}
    out = {}
    for name, train, test in splits:
        metric = FrozenFeatureMetric(gallery_ann_file=train, data_prefix=root)
        results = []
        for path in (train, test):
            for e in read_video_list(path):
                r = by_file[osp.normpath(osp.join(root, e.path))]
                results.append(dict(feature=r['feature'], label=r['label'], gallery=path == train))
        out[name] = {k: float(v) for k, v in metric.compute_metrics(results).items()}
    return out
