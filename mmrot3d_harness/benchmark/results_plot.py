"""``results.png``: fine-tuned top-1 per backbone and dataset, frozen linear probe and R@1, a curve -- top-1
vs training labels when several label settings ran, vs pretraining steps for the length variants, else the
fine-tuning losses -- and the pretext losses of the backbones the benchmark pretrained."""
from pathlib import Path
from typing import Dict

import numpy as np

from .report import label_order, length_rows


def _bars(ax, groups, series: Dict[str, list], title: str) -> None:
    width = 0.8 / max(1, len(series))
    x = np.arange(len(groups))
    for j, (name, stats) in enumerate(series.items()):
        means = [s['mean'] * 100 if s else np.nan for s in stats]
        stds = [s['std'] * 100 if s else 0 for s in stats]
        xs = x + (j - (len(series) - 1) / 2) * width
        ax.bar(xs, means, width, yerr=stds, capsize=2, label=name)
        for xi, m in zip(xs, means):
            if not np.isnan(m):
                ax.text(xi, m + 1, f'{m:.0f}', ha='center', fontsize=7)
    ax.set_xticks(x, groups, fontsize=8)
    ax.set_ylabel('%')
    ax.set_title(title)
    ax.legend(fontsize=7)


def _label_curve(ax, res: Dict) -> bool:
    for d, per_backbone in res['finetune'].items():
        labels = label_order({lab for b in per_backbone.values() for lab in b})
        if len(labels) < 2:
            continue
        for b in res['backbone_order']:
            pts = [(i, per_backbone[b][lab]['summary']['top1']) for i, lab in enumerate(labels)
                   if lab in per_backbone.get(b, {})]
            if pts:
                ax.errorbar([p[0] for p in pts], [p[1]['mean'] * 100 for p in pts], [p[1]['std'] * 100 for p in pts],
                            marker='o',
                            capsize=2,
                            label=f'{b} ({d})')
        ax.set_xticks(range(len(labels)), labels, fontsize=8)
        ax.set_xlabel('training labels')
        ax.set_ylabel('top-1 %')
        ax.set_title('Label efficiency')
        ax.legend(fontsize=7)
        return True
    return False


def _length_curve(ax, res: Dict) -> bool:
    rows = length_rows(res)
    if not rows:
        return False
    ft, fz = res['finetune']['synthetic'], res['frozen'].get('synthetic', {})
    steps = [n for n, _ in rows]
    for label, stats in (('fine-tuned top-1', [ft[b]['full']['summary']['top1'] for _, b in rows]),
                         ('linear probe', [fz[b]['summary']['linear_probe_top1'] for _, b in rows
                                           ]), ('R@1', [fz[b]['summary']['retrieval_R_at_1'] for _, b in rows])):
        ax.errorbar(
            steps, [s['mean'] * 100 for s in stats], [s['std'] * 100 for s in stats],
            marker='o',
            capsize=2,
            label=label)
    ax.set_xlabel('3DRotNet pretraining steps')
    ax.set_ylabel('%')
    ax.set_title('Pretraining length')
    ax.legend(fontsize=7)
    return True


def _loss_curves(ax, res: Dict) -> None:
    for d, per_backbone in res['finetune'].items():
        for b, labels in per_backbone.items():
            for i, run in enumerate(labels.get('full', {}).get('runs', [])):
                curve = run.get('loss_curve') or {}
                if curve.get('loss'):
                    ax.plot(
                        curve['iter'],
                        curve['loss'],
                        alpha=0.5,
                        color=f'C{res["backbone_order"].index(b) % 10}',
                        label=f'{b} ({d})' if i == 0 else None)
    ax.set_xlabel('iteration')
    ax.set_ylabel('training loss')
    ax.set_title('Fine-tuning (all splits and seeds)')
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7)


def _pretraining(ax, res: Dict) -> None:
    for b, p in res['pretraining'].items():
        curve = p.get('loss_curve') or {}
        held = next((f'{v * 100:.0f}%' for k, v in (p.get('held_out') or {}).items() if k.endswith('/top1')), '?')
        if curve.get('loss'):
            ax.plot(curve['iter'], curve['loss'], label=f'{b} (held-out {held})')
    ax.set_xlabel('iteration')
    ax.set_ylabel('pretext loss')
    ax.set_title('Pretraining')
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7)


def write_figure(res: Dict, path: Path) -> Path:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    panels = 4 if res.get('pretraining') else 3
    fig, axes = plt.subplots(1, panels, figsize=(5.7 * panels, 4.8))
    titles, order = res['dataset_titles'], res['backbone_order']
    ft = res['finetune']
    datasets = [d for d in titles if d in ft]
    _bars(axes[0], [titles[d] for d in datasets],
          {b: [ft[d].get(b, {}).get('full', {}).get('summary', {}).get('top1') for d in datasets]
           for b in order}, 'Fine-tuned top-1 (mean ± std)')
    fz = res['frozen']
    groups = [(d, m) for d in titles if d in fz for m in ('linear_probe_top1', 'retrieval_R_at_1')]
    _bars(axes[1], [f"{titles[d]}\n{'probe' if m.startswith('linear') else 'R@1'}" for d, m in groups],
          {b: [fz[d].get(b, {}).get('summary', {}).get(m) for d, m in groups]
           for b in order}, 'Frozen backbone')
    if not (_label_curve(axes[2], res) or _length_curve(axes[2], res)):
        _loss_curves(axes[2], res)
    if panels == 4:
        _pretraining(axes[3], res)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
