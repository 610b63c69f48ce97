from collections import defaultdict
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric

from ...datasets.transforms.functional import DEFAULT_ANGLES, angles_to_turns


@METRICS.register_module()
class RotationAccuracy(BaseMetric):
    """Top-1 accuracy of the rotation pretext, overall and per angle.

    Reads ``rotation_score`` ``(R, K)`` and ``rotation_label`` ``(R,)`` that
    :class:`RotationRecognizer` sets in predict mode; every rotated copy counts once.

    Args:
        angles: the rotation set, to name the per-angle results (``acc_90deg`` ...).
    """

    default_prefix = 'rotation'

    def __init__(self,
                 angles: Sequence[int] = DEFAULT_ANGLES,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        angles_to_turns(angles)
        self.angles = tuple(angles)

    def process(self, data_batch, data_samples: Sequence[Dict]) -> None:
        for sample in data_samples:
            if 'rotation_label' not in sample:
                raise KeyError('RotationAccuracy: predictions carry no rotation_label; validate with '
                               'VideoRotation in the pipeline or a RotationRecognizer(rotate_in_model=True)')
            self.results.append(
                dict(
                    pred=sample['rotation_score'].argmax(dim=-1).cpu().numpy(),
                    label=sample['rotation_label'].cpu().numpy()))

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        preds = np.concatenate([r['pred'] for r in results])
        labels = np.concatenate([r['label'] for r in results])
        metrics = dict(top1=float((preds == labels).mean()))
        per_angle = defaultdict(list)
        for pred, label in zip(preds, labels):
            per_angle[int(label)].append(pred == label)
        for label, hits in sorted(per_angle.items()):
            metrics[f'acc_{self.angles[label]}deg'] = float(np.mean(hits))
        return metrics
