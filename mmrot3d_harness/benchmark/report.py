"""``results.md``: the tables, laid out like the paper's (rows = backbones, columns = datasets), then
retrieval and linear probe, per split, label efficiency, and for the synthetic presets the pretext and
where each fine-tuning run stopped. All numbers are percentages, mean ± std over splits x seeds."""
import os
from typing import Dict, List, Optional

KS = (1, 5, 10, 20, 50)


def pm(stat: Dict, scale: float = 100.0, signed: bool = False) -> str:
    if not stat or stat.get('n', 0) == 0:
        return '–'
    text = f"{stat['mean'] * scale:{'+' if signed else ''}.1f}"
    return f"{text} ± {stat['std'] * scale:.1f}" if stat['n'] > 1 else text


def _row(cells: List[str]) -> str:
    return '| ' + ' | '.join(cells) + ' |'


def _table(header: List[str], rows: List[List[str]]) -> List[str]:
    return [_row(header), _row(['---'] * len(header)), *[_row(r) for r in rows], '']


def label_order(labels) -> List[str]:

    def key(name: str):
        if name == 'full':
            return (2, 0.0)
        return (0, float(name[4:])) if name.startswith('frac') else (1, float(name[1:]))

    return sorted(labels, key=key)


def finetune_lines(res: Dict) -> List[str]:
    ft, titles, backbones = res['finetune'], res['dataset_titles'], res['backbone_order']
    datasets = [d for d in titles if d in ft]
    lines = [
        '## Fine-tuned top-1 (%)', '',
        f"{len(res['settings']['splits'])} split(s) x {len(res['settings']['seeds'])} seed(s); "
        "test protocol of each fine-tuning config (e.g. 10 clips per video)", ''
    ]
    rows = [[b] + [pm(ft[d].get(b, {}).get('full', {}).get('summary', {}).get('top1')) for d in datasets]
            for b in backbones]
    lines += _table(['backbone'] + [titles[d] for d in datasets], rows)
    for d in datasets:
        splits = sorted({r['split'] for b in ft[d].values() for lab in b.values() for r in lab['runs']})
        rows = []
        for b in backbones:
            full = ft[d].get(b, {}).get('full')
            if full:
                s = full['summary']
                rows.append([
                    b, *(pm(full['per_split'].get(str(k))) for k in splits),
                    pm(s['top1']),
                    pm(s['top5']),
                    pm(s['mean_class_acc'])
                ])
        lines += [f'### {titles[d]}: per split, top-5, mean class accuracy', '']
        lines += _table(['backbone', *(f'split {k}' for k in splits), 'top-1', 'top-5', 'mean class'], rows)
    return lines


def gain_lines(res: Dict) -> List[str]:
    """Each pretrained backbone's fine-tuned gain over its random-init baseline, paired by split and seed."""
    return _paired_lines(
        res.get('finetune_gain'), res, '## Fine-tuned gain over the random init (top-1 points)',
        "each run minus the baseline's run on the same split and seed (same lists, same data order); mean ± std "
        'over the pairs; an interval that holds 0 is within the spread between runs', 'baseline')


def reference_lines(res: Dict) -> List[str]:
    """Each pretrained backbone's fine-tuned top-1 against its reference (``aggregate.paired_to_reference``),
    paired by split and seed."""
    return _paired_lines(
        res.get('finetune_vs_reference'), res, '## Fine-tuned difference to the reference backbone (top-1 points)',
        "the reference is the one the benchmark names (synthetic-shortcuts: each shortcut's guarded twin), else "
        "the first pretrained backbone of each architecture; each run minus the reference's run on the same split "
        'and seed; mean ± std over the pairs; an interval that holds 0 cannot tell them apart', 'reference')


def _paired_lines(pairs: Optional[Dict], res: Dict, title: str, legend: str, against: str) -> List[str]:
    pairs, titles = pairs or {}, res['dataset_titles']
    datasets = [d for d in titles if d in pairs]
    full = {d: {b: labels['full'] for b, labels in pairs[d].items() if 'full' in labels} for d in datasets}
    names = [b for b in res['backbone_order'] if any(b in full[d] for d in datasets)]
    if not names:
        return []

    def cell(gain: Dict) -> str:
        if not gain:
            return '–'
        interval = f"; 95 % CI {gain['ci95'][0] * 100:+.1f} to {gain['ci95'][1] * 100:+.1f}" if gain['ci95'] else ''
        return f"{pm(gain, signed=True)}{interval}; ahead in {gain['ahead']}/{gain['n']}"

    lines = [title, '', legend, '']
    rows = []
    for b in names:
        baseline = next(full[d][b]['baseline'] for d in datasets if b in full[d])
        rows.append([b, baseline] + [cell(full[d].get(b)) for d in datasets])
    return lines + _table(['backbone', against] + [titles[d] for d in datasets], rows)


def frozen_lines(res: Dict) -> List[str]:
    fz, titles = res['frozen'], res['dataset_titles']
    if not fz:
        return []
    lines = [
        '## Frozen backbone: nearest-neighbour retrieval and linear probe (%)', '',
        'test videos query the training videos (cosine similarity of features averaged over the clips); '
        'mean ± std over splits', ''
    ]
    rows = []
    for d in [d for d in titles if d in fz]:
        for b in res['backbone_order']:
            if b in fz[d]:
                s = fz[d][b]['summary']
                rows.append([b, titles[d], *(pm(s[f'retrieval_R_at_{k}']) for k in KS), pm(s['linear_probe_top1'])])
    return lines + _table(['backbone', 'dataset', *(f'R@{k}' for k in KS), 'linear probe'], rows)


def label_lines(res: Dict) -> List[str]:
    ft, titles = res['finetune'], res['dataset_titles']
    lines = []
    for d in [d for d in titles if d in ft]:
        labels = label_order({lab for b in ft[d].values() for lab in b})
        if len(labels) < 2:
            continue
        lines += [
            f'## Label efficiency, {titles[d]}: fine-tuned top-1 (%) vs training labels', '',
            'class-balanced subsets of each split\'s training list, nested, drawn per seed', ''
        ]
        rows = [[b, *(pm(ft[d].get(b, {}).get(lab, {}).get('summary', {}).get('top1')) for lab in labels)]
                for b in res['backbone_order']]
        lines += _table(['backbone', *labels], rows)
    return lines


def length_rows(res: Dict) -> List[tuple]:
    """(steps, backbone) of the 3DRotNet pretraining-length variants (``rotnet3d``, ``rotnet3d-<N>it``)."""
    pre = res.get('pretraining') or {}
    rows = [(p['iters'], b) for b, p in pre.items()
            if (b == 'rotnet3d' or b.startswith('rotnet3d-') and b.endswith('it')) and p.get('iters')]
    return sorted(rows) if len(rows) > 1 else []


def synthetic_lines(res: Dict) -> List[str]:
    lines = []
    rows = length_rows(res)
    if rows:
        ft, fz = res['finetune']['synthetic'], res['frozen'].get('synthetic', {})
        lines += ['## Pretraining length (3DRotNet steps)', '']
        frozen = {b: fz.get(b, {}).get('summary', {}) for _, b in rows}
        lines += _table(['steps', 'backbone', 'fine-tuned top-1', 'linear probe', 'R@1'], [[
            str(n), b,
            pm(ft[b]['full']['summary']['top1']),
            pm(frozen[b].get('linear_probe_top1')),
            pm(frozen[b].get('retrieval_R_at_1'))
        ] for n, b in rows])
    if res.get('pretraining'):
        lines += [
            '## Pretext accuracy (%)', '',
            'held-out clips (the actor is the only orientation cue) and their actor-free twins (chance)', ''
        ]
        rows = []
        for b, p in res['pretraining'].items():
            held, free = p.get('held_out') or {}, p.get('actor_free') or {}
            key = next((k for k in held if k.endswith('/top1')), None)
            rows.append(
                [b, f"{held[key] * 100:.1f}" if key else '–', f"{free[key] * 100:.1f}" if key and key in free else '–'])
        lines += _table(['backbone', 'held-out', 'actor-free'], rows)
    stops = [(b, r) for b, labels in res['finetune'].get('synthetic', {}).items()
             for r in labels.get('full', {}).get('runs', []) if r.get('stopped_at')]
    if stops:
        lines += [
            '## Fine-tuning until the validation accuracy plateaus', '',
            'each run validates on groups carved from its training list (never the test list) and tests the '
            'checkpoint of its best validation', ''
        ]
        lines += _table(
            ['backbone', 'split', 'seed', 'stopped at step', 'why', 'best validation top-1 (step)', 'test top-1'], [[
                b,
                str(r['split']),
                str(r['seed']),
                str(r['stopped_at']), r['stop_reason'], f"{r['best_val_top1'] * 100:.1f} ({r['best_step']})",
                f"{r['top1'] * 100:.1f}" if r.get('top1') is not None else '–'
            ] for b, r in stops])
    bar = res.get('bar')
    if bar:
        lines += [
            f"**Bar: {'MET' if bar['met'] else 'NOT MET'}** — " + ', '.join(f"{k}={'yes' if v else 'no'}"
                                                                            for k, v in bar['checks'].items()) +
            f" (fine-tune gain {bar['finetune_gain'] * 100:+.1f},"
            f" probe gain {bar['linear_probe_gain'] * 100:+.1f},"
            f" R@1 gain {bar['retrieval_r1_gain'] * 100:+.1f} points; scratch {bar['scratch_top1'] * 100:.1f},"
            f" pretext {bar['pretext_held_out'] * 100:.1f} held-out /"
            f" {bar['pretext_actor_free'] * 100:.1f} actor-free)", ''
        ]
    return lines


def audit_lines(res: Dict) -> List[str]:
    """The cue audit of each rotation-pretrained backbone: rotation top-1 on each control, with its bootstrap 95 %
    interval, and the reading lines."""
    audits = (res.get('evaluations') or {}).get('cue_audit') or {}
    if not audits:
        return []
    controls = list(next(iter(audits.values()))['controls'])
    lines = [
        '## What the pretext learnt: the cue audit', '',
        'Rotation top-1 % of the pretraining\'s held-out clips (95 % bootstrap interval over videos) as they are and '
        'under controls that each keep one cue (`tools/audit_pretext.py`); chance '
        f'{next(iter(audits.values()))["chance"] * 100:.0f} %.', ''
    ]
    rows = []
    for job, found in sorted(audits.items()):
        cells = [found['controls'].get(c) for c in controls]
        rows.append(
            [job.split('/', 1)[1]] +
            [f'{c["top1"] * 100:.1f} ({c["ci95"][0] * 100:.0f}-{c["ci95"][1] * 100:.0f})' if c else '–' for c in cells])
    lines += _table(['backbone', *controls], rows)
    for job, found in sorted(audits.items()):
        lines += [f'- {job.split("/", 1)[1]}:'] + [f'  - {line}' for line in found['reading']]
    return lines + ['']


def evaluation_lines(res: Dict) -> List[str]:
    """One table per extra evaluation (``run.EVALUATIONS``, but the cue audit: :func:`audit_lines`): its numeric
    results per backbone and dataset."""
    lines = []
    for name, found in (res.get('evaluations') or {}).items():
        if name == 'cue_audit':
            continue
        rows = {job: {k: v for k, v in r.items() if isinstance(v, (int, float))} for job, r in sorted(found.items())}
        keys = sorted({k for r in rows.values() for k in r})
        if not keys:
            continue
        lines += [f'## {name}', '']
        lines += _table(['dataset / backbone', *keys],
                        [[job.split('/', 1)[1], *(f'{r[k]:.4g}' if k in r else '–' for k in keys)]
                         for job, r in rows.items()])
    return lines


def data_lines(res: Dict) -> List[str]:
    """What the data check found before any job, and what ``--skip-bad`` left out: the protocol of every
    number below."""
    data = res.get('data')
    if not data:
        return []
    pretraining = [r for r in data['lists'] if r['dataset'] == 'pretraining']
    lists = [r for r in data['lists'] if r['dataset'] != 'pretraining']
    lines = [
        f"Pretraining lists: {sum(r['bad'] for r in pretraining)} bad of {sum(r['entries'] for r in pretraining)} "
        'entries, skipped by the pretraining runs as their configs allow (max_bad_fraction).', ''
    ] if any(r['bad'] for r in pretraining) else []
    if not any(r['bad'] for r in lists):
        return lines + [
            f"Data: every entry of the {len(lists)} list(s) ({sum(r['entries'] for r in lists)} entries) was "
            'checked before any job: all readable, the official lists used as they are.', ''
        ]
    lines += [
        '## Videos left out (--skip-bad)', '',
        'The data check found bad entries; they were left out of training and testing for every backbone alike '
        f"(each is listed in `{data['bad_videos']}`). The test sets differ from the official ones by these.", ''
    ]
    rows = [[
        res['dataset_titles'].get(r['dataset'], r['dataset']),
        os.path.basename(r['list']),
        str(r['entries']),
        str(r['bad'])
    ] for r in lists]
    return lines + _table(['dataset', 'list', 'entries', 'left out'], rows)


def timing_line(res: Dict) -> str:
    t = res['timing']
    kinds = ', '.join(f"{k} {v['jobs']} job(s) {v['seconds'] / 60:.1f} min" for k, v in t['jobs'].items())
    return (f"Wall time: {t['total_seconds'] / 60:.1f} min (data {t['data_seconds'] / 60:.1f} min; summed job time: "
            f"{kinds}) on {res['resources']['cores']} core(s)")


def backbone_lines(res: Dict) -> List[str]:
    """Where each row's weights come from: architecture (its fine-tuning configs), file and conversion."""
    rows = []
    for name in res['backbone_order'] if 'backbones' in res else []:
        b = res['backbones'][name]
        source = b.get('path') or (f"pretrained here ({b['pretrain_config']})"
                                   if b.get('pretrain_config') else 'random init')
        rows.append([name, b.get('architecture') or '–', source, b.get('conversion') or '–'])
    return ['## Backbones', ''] + _table(['backbone', 'architecture', 'weights', 'conversion'], rows) if rows else []


def markdown(res: Dict) -> str:
    from .severe_report import severe_lines  # SEVERE's table, formatted with this module's helpers
    lines = [f"# Benchmark: {', '.join(res['dataset_titles'].values())}", '']
    for part in (data_lines, severe_lines, finetune_lines, gain_lines, reference_lines, frozen_lines, label_lines,
                 synthetic_lines, audit_lines, evaluation_lines, backbone_lines):
        lines += part(res)
    lines.append(timing_line(res))
    return '\n'.join(lines) + '\n'
