"""The results table (stdout / Markdown) and the figure (learning curves + accuracy comparison)."""
from pathlib import Path
from typing import Dict, List

import numpy as np


def _pm(stat: Dict, scale: float = 100.0) -> str:
    if stat.get('n', 0) > 1:
        return f"{stat['mean'] * scale:.1f} ± {stat['std'] * scale:.1f}"
    return f"{stat['mean'] * scale:.1f}"


def table_lines(results: Dict) -> List[str]:
    ft = results['finetune']
    fz = results['frozen']
    pre = results['pretrain']
    splits = sorted({r['split'] for runs in ft['runs'].values() for r in runs})
    seeds = sorted({r['seed'] for runs in ft['runs'].values() for r in runs})
    lines = [f"Dataset: {results['dataset']}  (chance {results['bar']['chance'] * 100:.1f}%)",
             '',
             f"Fine-tuning, top-1 % ({len(splits)} splits x {len(seeds)} seed(s), "
             f"{results['settings']['test_clips']}-clip test; mean ± std over runs)",
             '| init | recipe (chosen on val) | ' + ' | '.join(f'split {s}' for s in splits) +
             ' | mean top-1 | top-5 | mean class acc |',
             '|---|---|' + '---|' * len(splits) + '---|---|---|']
    for arm, summ in ft['summary'].items():
        rec = results['selection'][arm]['chosen']
        per = ft['per_split_top1'][arm]
        lines.append(f"| {arm} | {rec.get('optimizer', 'AdamW')} lr {rec['lr']:g}, backbone x{rec['backbone_lr_mult']:g} | " +
                     ' | '.join(f"{per[str(s)] * 100:.1f}" for s in splits) +
                     f" | {_pm(summ['top1'])} | {_pm(summ['top5'])} | {_pm(summ['mean_class_acc'])} |")
    lines += ['', 'Frozen backbone (split(s) ' + ', '.join(str(s) for s in results['settings']['frozen_splits']) +
              '): linear probe top-1 % and nearest-neighbour retrieval recall %',
              '| backbone | linear probe | R@1 | R@5 | R@10 | R@20 | R@50 |', '|---|---|---|---|---|---|---|']
    for arm, d in fz.items():
        sm = d['summary']
        lines.append(f"| {arm} | {_pm(sm['linear_probe_top1'])} | " +
                     ' | '.join(_pm(sm[f'retrieval_R_at_{k}']) for k in (1, 5, 10, 20, 50)) + ' |')
    ho = pre['rotation_held_out']
    lines += ['', 'Rotation pretext accuracy % (held-out clips; chance 25)',
              '| clips | all | 0° | 90° | 180° | 270° |', '|---|---|---|---|---|---|',
              f"| held-out (actor is the only cue) | {ho['top1'] * 100:.1f} | " +
              ' | '.join(f"{ho.get(f'acc_{a}deg', float('nan')) * 100:.1f}" for a in (0, 90, 180, 270)) + ' |']
    if 'rotation_actor_free' in pre:
        af = pre['rotation_actor_free']
        lines.append(f"| actor-free controls (no cue at all) | {af['top1'] * 100:.1f} | " +
                     ' | '.join(f"{af.get(f'acc_{a}deg', float('nan')) * 100:.1f}" for a in (0, 90, 180, 270)) + ' |')
    bar = results['bar']
    lines += ['', f"Bar: {'MET' if bar['met'] else 'NOT MET'} — " +
              ', '.join(f"{k}={'yes' if v else 'no'}" for k, v in bar['checks'].items()) +
              f" (fine-tune gain {bar['finetune_gain'] * 100:+.1f}, probe gain {bar['linear_probe_gain'] * 100:+.1f}, "
              f"R@1 gain {bar['retrieval_r1_gain'] * 100:+.1f} points)",
              f"Wall time: {results['total_seconds'] / 60:.1f} min (" +
              ', '.join(f'{k} {v / 60:.1f}' for k, v in results['stage_seconds'].items()) + ')']
    return lines


def print_table(results: Dict) -> None:
    print('\n'.join(table_lines(results)), flush=True)


def _smooth(y, k: int = 10):
    y = np.asarray(y, float)
    if len(y) < k:
        return y
    return np.convolve(y, np.ones(k) / k, mode='valid')


def write_figure(results: Dict, path) -> Path:
    """Three panels: pretext loss (+ held-out rotation accuracy), fine-tuning loss per arm, the
    accuracy comparison (fine-tune top-1, linear probe, R@1)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    pre = results['pretrain']
    ax = axes[0]
    lc = pre['loss_curve']
    if lc['loss']:
        y = _smooth(lc['loss'])
        ax.plot(lc['iter'][len(lc['iter']) - len(y):], y, label='rotation loss')
    ax.set_xlabel('iteration')
    ax.set_ylabel('loss')
    ax.set_title('Rotation pretraining')
    if pre.get('val_curve'):
        ax2 = ax.twinx()
        ax2.plot([v['iter'] for v in pre['val_curve']], [v.get('top1', np.nan) for v in pre['val_curve']],
                 'o-', color='tab:green', label='held-out rotation acc')
        ax2.set_ylim(0, 1)
        ax2.set_ylabel('rotation accuracy')
        ax2.legend(loc='center right')
    ax.legend(loc='upper right')

    ax = axes[1]
    colors = dict(scratch='tab:gray', pretrained='tab:red')
    for arm, runs in results['finetune']['runs'].items():
        for i, r in enumerate(runs):
            y = _smooth(r['loss_curve']['loss'])
            ax.plot(r['loss_curve']['iter'][len(r['loss_curve']['iter']) - len(y):], y, color=colors.get(arm),
                    alpha=0.6, label=arm if i == 0 else None)
    ax.set_xlabel('iteration')
    ax.set_ylabel('training loss')
    ax.set_title('Fine-tuning (all splits and seeds)')
    ax.legend()

    ax = axes[2]
    ft, fz = results['finetune']['summary'], results['frozen']
    groups = ['fine-tune top-1', 'linear probe', 'retrieval R@1']
    bars = {'scratch / random init': [ft['scratch']['top1'], fz['random_init']['summary']['linear_probe_top1'],
                                      fz['random_init']['summary']['retrieval_R_at_1']],
            '3DRotNet pretrained': [ft['pretrained']['top1'], fz['pretrained']['summary']['linear_probe_top1'],
                                    fz['pretrained']['summary']['retrieval_R_at_1']]}
    x = np.arange(len(groups))
    for j, (name, stats) in enumerate(bars.items()):
        means = [st['mean'] * 100 for st in stats]
        stds = [st['std'] * 100 for st in stats]
        ax.bar(x + (j - 0.5) * 0.38, means, 0.38, yerr=stds, capsize=3, label=name,
               color=['tab:gray', 'tab:red'][j])
        for xi, m in zip(x + (j - 0.5) * 0.38, means):
            ax.text(xi, m + 1, f'{m:.1f}', ha='center', fontsize=8)
    ax.axhline(results['bar']['chance'] * 100, ls='--', color='k', lw=0.8, label='chance')
    ax.set_xticks(x, groups)
    ax.set_ylabel('%')
    ax.set_title(f"{results['dataset']}: accuracy")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
