"""``results.md``'s SEVERE table: rows = backbones (the random init first), then the published R(2+1)D-18 rows as
anchors; columns grouped by SEVERE's factors -- domain shift (UCF101, SSv2, Gym99), sample efficiency (UCF and Gym
with 1000 samples), action granularity (FX-S1, UB-S1) -- and, where they ran, Gym288, Diving48 and Charades (task
shift, mAP)."""
from typing import Dict, List

from .report import _table, pm
from .severe_anchors import ANCHORS, CITATION
from .severe_presets import SPECS

# factor -> its presets, in SEVERE's column order; the first two factors' and granularity's first two are the table
FACTORS = (('Domain shift', ('ucf101-severe', 'sthv2', 'gym99', 'diving48')), ('Sample efficiency', ('ucf101-1000',
                                                                                                     'gym99-1000')),
           ('Action granularity', ('fx-s1', 'ub-s1', 'gym288')), ('Task shift', ('charades', )))
TABLE = ('ucf101-severe', 'sthv2', 'gym99', 'ucf101-1000', 'gym99-1000', 'fx-s1', 'ub-s1')
METRIC = {'charades': 'mAP'}  # the rest: top-1
TITLES = {**{d: spec.title for d, spec in SPECS.items()}, 'charades': 'Charades'}


def _columns(res: Dict) -> List[str]:
    ran = set(res['finetune']) | set(res.get('datasets') or ())
    return [d for _, group in FACTORS for d in group if d in TABLE or d in ran]


def _cell(res: Dict, dataset: str, backbone: str) -> str:
    summary = res['finetune'].get(dataset, {}).get(backbone, {}).get('full', {}).get('summary', {})
    return pm(summary.get(METRIC.get(dataset, 'top1')))


def severe_lines(res: Dict) -> List[str]:
    """The SEVERE table, if any SEVERE preset ran (else nothing)."""
    if not set(res.get('datasets') or res['finetune']) & {d for _, group in FACTORS for d in group}:
        return []
    columns = _columns(res)
    titles = {**TITLES, **res['dataset_titles']}
    groups = [next(name for name, group in FACTORS if d in group) for d in columns]
    header = [''] + [g if i == 0 or groups[i - 1] != g else '' for i, g in enumerate(groups)]
    names = ['**backbone**'] + [f'**{titles[d]}**' + (' (mAP)' if d in METRIC else '') for d in columns]
    rows = [names] + [[b] + [_cell(res, d, b) for d in columns] for b in res['backbone_order']]
    rows += [[f'*{method} [1]*'] + [f'*{values[d]:.1f}*' if d in values else '–' for d in columns]
             for method, values in ANCHORS.items()]
    seeds = len(res['settings']['seeds'])
    lines = [
        '## SEVERE: fine-tuned top-1 (%)', '',
        f"SEVERE's protocol (configs/severe/, docs/severe.md): split 1, {seeds} seed(s) (mean ± std), every "
        "backbone fine-tuned end to end and tested on 10 clips x 1 centre crop; the random init with SEVERE's "
        'recipe for it where SEVERE has one. Rows in italics are published numbers, not run here.', ''
    ]
    lines += _table(header, rows)
    return lines + [f'[1] {CITATION}.', '']
