"""The markdown summary of ``performance/gpu.py``'s report (``gpu.md``): one table per section."""
from typing import Dict, List


def _fmt(v) -> str:
    if isinstance(v, bool) or v is None:
        return '-' if v is None else str(v)
    if isinstance(v, float):
        return f'{v:.3g}' if abs(v) < 1000 else f'{v:.0f}'
    return str(v)


def table(rows: List[Dict], columns: List[str]) -> str:
    lines = ['| ' + ' | '.join(columns) + ' |', '|' + '---|' * len(columns)]
    lines += ['| ' + ' | '.join(_fmt(r.get(c)) for c in columns) + ' |' for r in rows]
    return '\n'.join(lines)


def _ci(stats: Dict) -> str:
    return '-' if not stats.get('ci95') else f'{stats["ci95"][0]:.3f}-{stats["ci95"][1]:.3f}'


def throughput(s: Dict) -> str:
    text = (f'R3D-18 rotation pretraining steps, {s["clips_per_step"]} rotated clips per step, input '
            f'{"x".join(map(str, s["input"]))}; clips/s = rotated clips through the backbone per second '
            f'(median of interleaved blocks; min-max beside it). Fastest: **{s["fastest"]}**.\n\n')
    rows = [dict(r, range=f'{r["clips_per_s_min"]:.0f}-{r["clips_per_s_max"]:.0f}') for r in s['rows']]
    text += table(rows, ['variant', 'clips_per_s', 'range', 'vs_fp32', 'step_ms', 'cudnn_benchmark', 'loss_finite'])
    if s.get('errors'):
        text += '\n\nFailed variants: ' + '; '.join(f'{k}: {v}' for k, v in s['errors'].items())
    return text


def ratio(s: Dict) -> str:
    rows = [
        dict(setting=r['setting'], error=r['error']) if 'error' in r else dict(
            setting=r['setting'],
            clips=r['clips_per_step'],
            ratio=r['ratio']['median'],
            ci95=_ci(r['ratio']),
            iqr=f'{r["ratio"]["q1"]:.3f}-{r["ratio"]["q3"]:.3f}',
            repeats=r['ratio']['repeats'],
            rotation=r['clips_per_s']['rotation'],
            supervised=r['clips_per_s']['supervised'],
            holds=r['holds'],
            bar_met=r['bar_met']) for r in s['rows']
    ]
    return (s['description'] + f'; bar {0.97}. `holds`: the CI is within +-3 % of the median.\n\n' + table(
        rows,
        ['setting', 'clips', 'ratio', 'ci95', 'iqr', 'repeats', 'rotation', 'supervised', 'holds', 'bar_met', 'error']))


def memory(s: Dict) -> str:
    return (f'{s["setting"]}, input {"x".join(map(str, s["input"]))}, counter: {s["memory_counter"]}; '
            '`resident` = weights + SGD momentum before the step, `per_clip` = (peak - resident) / rotated clips.\n\n' +
            table([dict(r, per_clip=r.get('activation_mib_per_rotated_clip')) for r in s['rows']], [
                'clips', 'rotated_clips_per_step', 'clips_per_s', 'step_ms', 'resident_mib', 'peak_mib',
                'peak_reserved_mib', 'per_clip', 'error'
            ]))


def train(s: Dict) -> str:
    m, r = s['summary'], s['run']
    rows = [
        dict(what='data wait share, steady state', value=m.get('data_wait_share_steady')),
        dict(what='data wait share, whole run', value=m.get('data_wait_share_all')),
        dict(what='rotated clips/s, steady state', value=m.get('rotated_clips_per_s_steady')),
        dict(
            what=f'fed fraction (steady clips/s / throughput {m.get("synthetic_variant")} clips/s)',
            value=m.get('fed_fraction_vs_synthetic')),
        dict(
            what='median step s / data_time s (steady)',
            value=f'{_fmt(m.get("step_s_steady_median"))} / {_fmt(m.get("data_time_s_steady_median"))}'),
        dict(what='iterations logged / planned', value=f'{m.get("iterations_logged")} / {s["max_iters"]}'),
        dict(what='loader workers / cores', value=f'{s["workers"]} / {s["cores"]}'),
        dict(what='worker CPU s per decoded clip (upper bound)', value=r.get('worker_cpu_s_per_decoded_clip')),
        dict(what='worker busy share (CPU s / workers x wall)', value=r.get('worker_busy_share')),
        dict(
            what='CPU s per rotated clip, whole run (process + workers; upper bound)',
            value=r.get('cpu_s_per_rotated_clip')),
        dict(what='cores busy (CPU s / wall s)', value=r.get('cores_busy')),
        dict(
            what=f'cores per GPU at {(m.get("target") or {}).get("rotated_clips_per_s", "-")} rotated clips/s',
            value=r.get('cores_per_gpu_at_target')),
        dict(what='target met (>= 2000 rotated clips/s, <= 5 % data wait)', value=(m.get('target') or {}).get('met')),
        dict(what='GPU memory max (MiB, MMEngine log)', value=m.get('gpu_memory_mib_max')),
        dict(what='loss first / last', value=f'{_fmt(m.get("loss_first"))} / {_fmt(m.get("loss_last"))}'),
        dict(
            what='wall s / return code / stopped at wall cap',
            value=f'{r["wall_s"]:.0f} / {r["returncode"]} / {r["stopped_at_wall_cap"]}')
    ]
    v = s['videos']
    return (f'`tools/train.py {s["config"]}{" --amp" if s["amp"] else ""}`, {s["batch_clips"]} clips x 4 rotations '
            f'per step, on {v["count"]} generated {v["size"][0]}x{v["size"][1]} {v["codec"]} files of {v["frames"]} '
            f'frames; steady state leaves out the first iterations. Log: `{s["log"]}`.\n\n' +
            table(rows, ['what', 'value']))


def loader_cpu(s: Dict) -> str:
    return (f'{s["pipeline"]} on {s["video_size"][0]}x{s["video_size"][1]} files, clip '
            f'{"x".join(map(str, s["clip"]))}: **{s["cpu_ms_per_decoded_clip"]:.1f} ms CPU per decoded clip** in one '
            f'process (train-run workers: {_fmt(s["train_worker_cpu_ms_per_decoded_clip"])} ms). {s["note"]}.\n\n' +
            table(s['cores_per_gpu'], [
                'variant', 'rotated_clips_per_s', 'cores_in_model', 'cores_in_model_train_workers',
                'cores_one_rotation_per_decode'
            ]))


RENDER = dict(
    throughput=throughput, ratio=ratio, memory=memory, train=train, train_device_aug=train, loader_cpu=loader_cpu)


def markdown(report: Dict) -> str:
    env = report['environment']
    out = [
        f'# GPU figures ({env.get("gpu", "CPU fallback")}, {env["date"]})', '',
        f'`{report["command"]}`{" (smoke: tiny sizes, not a measurement)" if report["smoke"] else ""}; '
        f'torch {env["torch"]}, CUDA {env.get("cuda", "-")}, cuDNN {env.get("cudnn", "-")}, '
        f'{env["cores"]} cores ({env["cpu"]}); seconds per section: {report["seconds"]}.', ''
    ]
    for name, section in report['sections'].items():
        out += [f'## {name}', '']
        if 'error' in section:
            out += [f'FAILED: `{section["error"][:500]}`', '']
            if set(section) <= {'error', 'traceback'}:
                continue
        try:
            out += [RENDER[name](section), '']
        except Exception as err:  # a summary must never lose the JSON's numbers
            out += [f'(could not render: {type(err).__name__}: {err}; see gpu.json)', '']
    return '\n'.join(out)
