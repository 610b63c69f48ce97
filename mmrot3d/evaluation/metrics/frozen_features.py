import os.path as osp
from typing import Dict, List, Optional, Sequence

import torch
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric

from ...datasets.video_list import read_video_list
from ..functional import linear_probe_accuracy, retrieval_recall


def list_video_paths(ann_file: str, data_prefix: str = '') -> List[str]:
    """Normalised paths of the videos of a list, as the dataset joins them with its ``data_prefix``."""
    entries = read_video_list(ann_file, require_label=False)
    bad = next((e for e in entries if e.error), None)
    if bad:
        raise ValueError(f'{ann_file}:{bad.lineno}: {bad.error}: {bad.text[:200]!r}')
    return [osp.normpath(osp.join(data_prefix, e.path)) for e in entries]


@METRICS.register_module()
class FrozenFeatureMetric(BaseMetric):
    """Judges frozen video features: nearest-neighbour retrieval (recall at k) and a linear probe.

    Evaluate a dataset that lists the training *and* the test videos of a split (e.g. with
    :class:`~mmrot3d.models.FeatureExtractor` and a 10-clip test pipeline whose
    ``PackActionInputs`` keeps ``filename`` in ``meta_keys``); the videos listed in
    ``gallery_ann_file`` are the training set (retrieval gallery, probe training data), all the
    others are the queries / test set.

    Args:
        gallery_ann_file: the training list; data_prefix: its video root (as in the dataset).
        ks: retrieval cut-offs. linear_probe: also fit and test a linear classifier.
        weight_decays: L2 strengths for the probe, chosen by cross-validation on the training videos.
    """
    default_prefix = 'frozen'

    def __init__(self,
                 gallery_ann_file: str,
                 data_prefix: str = '',
                 ks: Sequence[int] = (1, 5, 10, 20, 50),
                 linear_probe: bool = True,
                 weight_decays: Sequence[float] = (1e-3, 1e-2, 1e-1),
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.gallery = set(list_video_paths(gallery_ann_file, data_prefix))
        self.ks, self.linear_probe, self.weight_decays = tuple(ks), linear_probe, tuple(weight_decays)

    def process(self, data_batch, data_samples: Sequence[Dict]) -> None:
        for sample in data_samples:
            if 'feature' not in sample:
                raise KeyError('FrozenFeatureMetric: predictions carry no feature; use the FeatureExtractor model')
            if 'filename' not in sample:
                raise KeyError("FrozenFeatureMetric: add 'filename' to PackActionInputs(meta_keys=...)")
            label = sample['gt_label']
            self.results.append(
                dict(
                    feature=torch.as_tensor(sample['feature']).float().view(-1),
                    label=int(torch.as_tensor(label).view(-1)[0]),
                    gallery=osp.normpath(sample['filename']) in self.gallery))

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        gal = [r for r in results if r['gallery']]
        qry = [r for r in results if not r['gallery']]
        if not gal or not qry:
            raise ValueError(f'FrozenFeatureMetric: {len(gal)} training and {len(qry)} test videos; '
                             'the dataset must list both (check gallery_ann_file and data_prefix)')
        gx, gy = torch.stack([r['feature'] for r in gal]), torch.tensor([r['label'] for r in gal])
        qx, qy = torch.stack([r['feature'] for r in qry]), torch.tensor([r['label'] for r in qry])
        out = {k.replace('@', '_at_'): v for k, v in retrieval_recall(qx, qy, gx, gy, self.ks).items()}
        out = {f'retrieval_{k}': v for k, v in out.items()}
        if self.linear_probe:
            probe = linear_probe_accuracy(gx, gy, qx, qy, weight_decays=self.weight_decays)
            out.update(linear_probe_top1=probe['top1'], linear_probe_weight_decay=probe['weight_decay'])
        out.update(num_train=len(gal), num_test=len(qry))
        return out
