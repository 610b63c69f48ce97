from collections import defaultdict
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric

from ...structures.rotation import angles_to_turns


@METRICS.register_module()
class RotationAccuracy(BaseMetric):
    """Top-1 accuracy of the rotation pretext, overall and per angle (``top1``, ``acc_0deg``, ``acc_90deg``, ...).

    Reads the predictions of :class:`~mmrot3d.models.RotationRecognizer`: ``pred_score``, ``gt_label`` and
    the metainfo ``rotation_angles``, the model's angle set, which names the per-angle results.

    Beyond MMAction2's ``AccMetric``, which gives the same top-1 as ``acc/top1`` where every sample holds one
    rotated clip: a sample may hold ``R`` rotated copies of its clip (``pred_score`` ``(R, K)``, ``gt_label``
    ``(R,)``, as in-model rotation and ``VideoRotation(mode='all')`` give them), and every copy counts once;
    ``AccMetric`` scores one label per sample. And the accuracy of each angle.

    Args:
        angles: ``None`` (the model's, read from the predictions), or the model's angle set written out
            again: any other set is refused (``RotationConfigCheckHook`` before step 1, else on the first
            prediction), never used to name results.
    """

    default_prefix = 'rotation'

    def __init__(self,
                 angles: Optional[Sequence[int]] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if angles is not None:
            angles_to_turns(angles)
        self.angles = None if angles is None else tuple(angles)

    def process(self, data_batch, data_samples: Sequence[Dict]) -> None:
        for sample in data_samples:
            if 'rotation_angles' not in sample:
                raise KeyError('RotationAccuracy: predictions carry no rotation_angles; it scores the predictions '
                               'of a RotationRecognizer')
            if self.angles is not None and tuple(sample['rotation_angles']) != self.angles:
                raise ValueError(f'RotationAccuracy(angles={self.angles}) scores predictions of a model with '
                                 f'angles={tuple(sample["rotation_angles"])}; leave angles unset (the model\'s '
                                 'name the results)')
            labels = sample['gt_label'].view(-1)
            self.results.append(
                dict(
                    pred=sample['pred_score'].view(len(labels), -1).argmax(dim=-1).cpu().numpy(),
                    label=labels.cpu().numpy(),
                    angles=tuple(sample['rotation_angles'])))

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        preds = np.concatenate([r['pred'] for r in results])
        labels = np.concatenate([r['label'] for r in results])
        angles = results[0]['angles']
        metrics = dict(top1=float((preds == labels).mean()))
        per_angle = defaultdict(list)
        for pred, label in zip(preds, labels):
            per_angle[int(label)].append(pred == label)
        for label, hits in sorted(per_angle.items()):
            metrics[f'acc_{angles[label]}deg'] = float(np.mean(hits))
        return metrics
