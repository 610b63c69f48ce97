"""The GPU acceptance run: the test suite with CUDA visible, the benchmark end to end under both launchers,
and the throughput figures, in one command that fits 6 minutes on one H200.

    bash performance/gpu_device.sh DIR                                 # a bare GPU machine (wheels in .whl/)
    python -m performance.gpu_acceptance --out DIR                       # where the packages are installed
    python -m performance.gpu_acceptance --out DIR --device cpu --smoke  # the same steps on a CPU (dry run)

Steps (a failing step is recorded and the next one runs; ``DIR/acceptance.{json,md}`` are rewritten after
each, so a run cut short keeps what it measured):

  tests      ``python -m pytest tests -n N`` (the ``gpu`` tests included), junit XML and log in DIR;
             tests/harness/benchmark/test_gpu_benchmark.py is left to the next step, which runs the same benchmark
             (performance/gpu_acceptance.py's :func:`benchmark_end_to_end`) and keeps its outputs.
             Smoke: tests/harness/benchmark/test_launch.py only.
  benchmark  ``tools/benchmark.py hmdb51`` on an official-layout tree (tests/harness/benchmark/official_trees.py)
             with a backbone saved by another codebase (DDP-style state dict,
             ``--prefix theirs=module.backbone.``), the real configs made tiny by ``--cfg-options``, with
             ``--launcher none`` and ``--launcher pytorch --gpus 1``: results, job logs, wall times.
  figures    ``python -m performance.gpu --only throughput,train,loader_cpu``: rotated clips/s of the training
             step (fp16, fp16 + channels_last_3d), and the pretraining run ``tools/train.py
             configs/rotnet3d_kinetics.py --amp``: clips/s, data-wait share, CPU s per rotated clip,
             cores per GPU.

Copy DIR's ``acceptance.md``, ``gpu.md`` and ``gpu.json`` to ``docs/gpu/<date>/`` for the record.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[1]
BENCHMARK_TEST = 'tests/harness/benchmark/test_gpu_benchmark.py'
LAUNCHERS = dict(none=['--launcher', 'none'], pytorch=['--launcher', 'pytorch', '--gpus', '1'])
# seconds: caps, not estimates (each step is stopped at its cap). Estimated on an H200 with 16 cores, not yet
# measured: wheels ~15, tests ~90, benchmark ~2 x 45, figures ~130 (performance.gpu: throughput of 2 variants,
# video generation, the 75 s train run, loader CPU) -- within 6 minutes; acceptance.json has the real ones.
CAPS = dict(tests=150, benchmark=75, figures=160)


def log(message: str, start: float) -> None:
    print(f'[acceptance {time.monotonic() - start:5.0f} s] {message}', flush=True)


def run(command: List[str], log_file: Path, cap_s: float, env: Optional[Dict] = None) -> Dict:
    """``command`` with its output in ``log_file``, stopped after ``cap_s`` seconds."""
    t0 = time.monotonic()
    with open(log_file, 'w') as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env, start_new_session=True)
        try:
            code = proc.wait(cap_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            code = proc.wait()
            out.write(f'\n[stopped at the step cap of {cap_s:.0f} s]\n')
    return dict(
        command=' '.join(map(str, command)),
        returncode=code,
        seconds=round(time.monotonic() - t0, 1),
        capped=time.monotonic() - t0 >= cap_s,
        log=log_file.name)


def benchmark_end_to_end(work: Path, launcher: str, env: Optional[Dict] = None, cap_s: float = 600) -> Dict:
    """``python tools/benchmark.py hmdb51`` as a user runs it, on the official-layout HMDB51 tree of
    tests/harness/benchmark/official_trees.py, split 1, seed 0, scratch and a DDP-style external backbone."""
    import torch
    from mmaction.registry import MODELS
    from mmengine.config import Config

    import mmrot3d  # noqa: F401  (registers the models)
    from tests.harness.benchmark.official_trees import official_tree, tiny_options
    cfg = Config.fromfile(ROOT / 'configs/rotnet3d/finetune/r3d18_scratch_1xb32-16x2x1-150e_hmdb51-split1-rgb.py')
    work.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(1)
    state = MODELS.build(dict(cfg.model.backbone.to_dict(), base_channels=8)).state_dict()
    theirs = work / 'theirs.pth'
    torch.save({f'module.backbone.{k}': v for k, v in state.items()}, theirs)
    command = [
        sys.executable,
        str(ROOT / 'tools' / 'benchmark.py'), 'hmdb51', '--data-root',
        str(official_tree('hmdb51')), '--work-dir',
        str(work / 'work'), '--splits', '1', '--seeds', '0', '--backbone', f'theirs={theirs}', '--prefix',
        'theirs=module.backbone.', *LAUNCHERS[launcher], '--cfg-options', *tiny_options()
    ]
    result = run(command, work / 'benchmark.log', cap_s, env)
    saved = work / 'work' / 'results.json'
    result['results'] = json.loads(saved.read_text()) if saved.is_file() else None
    return result


def step_tests(args, out: Path) -> Dict:
    if args.smoke:
        selection = ['tests/harness/benchmark/test_launch.py']
    else:
        selection = ['tests', '--ignore', BENCHMARK_TEST]
    return run([
        sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-n',
        str(args.test_workers), '--dist', 'loadfile', '-rs', '--junitxml',
        str(out / 'tests.xml'), *selection
    ], out / 'tests.log', CAPS['tests'] * (4 if args.smoke else 1))


def step_benchmark(args, out: Path) -> Dict:
    found, t0 = {}, time.monotonic()
    for launcher in LAUNCHERS:
        folder = out / f'benchmark_{launcher}'
        scratch = Path(args.scratch) / f'benchmark_{launcher}'
        shutil.rmtree(scratch, ignore_errors=True)
        result = benchmark_end_to_end(scratch, launcher, cap_s=CAPS['benchmark'] * (4 if args.smoke else 1))
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(scratch / 'benchmark.log', folder / 'benchmark.log')
        for name in ('results.json', 'results.md'):
            if (scratch / 'work' / name).is_file():
                shutil.copy(scratch / 'work' / name, folder / name)
        for log_file in (scratch / 'work' / 'jobs').glob('*/hmdb51/theirs/**/job.log'):
            kind = log_file.relative_to(scratch / 'work' / 'jobs').parts[0]
            shutil.copy(log_file, folder / f'{kind}_job.log')
        jobs = (result.pop('results') or {}).get('jobs', {})
        result.update(
            jobs=len(jobs),
            job_seconds={
                k: v.get('seconds')
                for k, v in jobs.items()
            },
            job_gpus=sorted({str(v.get('gpus'))
                             for v in jobs.values()}),
            logs_see_gpu=all('GPU 0: ' in (scratch / 'work' / 'jobs' / k / 'job.log').read_text()
                             for k in jobs) if jobs else False)
        found[launcher] = result
    return dict(
        runs=found, returncode=max(r['returncode'] for r in found.values()), seconds=round(time.monotonic() - t0, 1))


def step_figures(args, out: Path) -> Dict:
    command = [sys.executable, '-m', 'performance.gpu', '--out', str(out), '--only', 'throughput,train,loader_cpu']
    if args.smoke:
        command += ['--device', 'cpu', '--smoke']
    else:
        command += ['--variants', 'fp16', 'fp16+channels_last_3d']
    result = run(command, out / 'figures.log', CAPS['figures'] * (4 if args.smoke else 1))
    if (out / 'gpu.json').is_file():
        train = json.loads((out / 'gpu.json').read_text())['sections'].get('train', {})
        summary, proc = train.get('summary', {}), train.get('run', {})
        result['pretraining'] = dict(
            rotated_clips_per_s=summary.get('rotated_clips_per_s_steady'),
            data_wait_share=summary.get('data_wait_share_steady'),
            cpu_s_per_rotated_clip=proc.get('cpu_s_per_rotated_clip'),
            cores_busy=proc.get('cores_busy'),
            cores_per_gpu_at_target=proc.get('cores_per_gpu_at_target'),
            target_met=(summary.get('target') or {}).get('met'))
    return result


def gpu_name() -> str:
    """The GPU as nvidia-smi names it (this process leaves CUDA to the steps), or 'no GPU'."""
    try:
        found = subprocess.run(['nvidia-smi', '--query-gpu=name', '--format=csv,noheader'],
                               capture_output=True,
                               text=True,
                               timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        found = ''
    return found.replace('\n', ' + ') or f'no GPU ({platform.node()})'


STEPS = dict(tests=step_tests, benchmark=step_benchmark, figures=step_figures)


def markdown(report: Dict) -> str:
    lines = [f'# GPU acceptance run ({report["machine"]}, {report["date"]})', '', f'`{report["command"]}`', '']
    lines += ['| step | exit status | seconds | log |', '|---|---|---|---|']
    for name, step in report['steps'].items():
        lines.append(f'| {name} | {step.get("returncode")}{" (capped)" if step.get("capped") else ""} | '
                     f'{step.get("seconds", "-")} | {step.get("log", "-")} |')
    bench = report['steps'].get('benchmark', {}).get('runs', {})
    if bench:
        lines += [
            '', '## Benchmark end to end (HMDB51 official layout, external DDP-style backbone)', '',
            '| launcher | exit status | wall s | jobs | GPUs of the jobs | every job log shows GPU 0 |',
            '|---|---|---|---|---|---|'
        ]
        for launcher, r in bench.items():
            lines.append(f'| {launcher} | {r["returncode"]} | {r["seconds"]} | {r["jobs"]} | '
                         f'{", ".join(r["job_gpus"])} | {r["logs_see_gpu"]} |')
    pre = report['steps'].get('figures', {}).get('pretraining')
    if pre:
        lines += ['', '## Pretraining, `tools/train.py configs/rotnet3d_kinetics.py --amp` (details: gpu.md)', '']
        lines += ['| what | value |', '|---|---|']
        lines += [f'| {k} | {f"{v:.3g}" if isinstance(v, float) else v} |' for k, v in pre.items()]
    tail = report['steps'].get('tests', {}).get('summary')
    if tail:
        lines += ['', '## Tests', '', f'`{tail}`']
    return '\n'.join(lines) + '\n'


def main(argv=None) -> Dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', required=True)
    parser.add_argument('--device', default='cuda', help='cuda, or cpu with --smoke (the dry run)')
    parser.add_argument(
        '--smoke', action='store_true', help='small steps on a CPU: checks the script, measures nothing')
    parser.add_argument('--only', default=','.join(STEPS), help=f'comma-separated subset of {",".join(STEPS)}')
    parser.add_argument('--test-workers', type=int, default=8, help='pytest-xdist processes')
    parser.add_argument('--scratch', default='/tmp/mmrot3d_acceptance', help='work folders (not copied back)')
    args = parser.parse_args(argv)
    if args.device.startswith('cuda') == args.smoke:
        parser.error('use --device cuda (the acceptance run) or --device cpu --smoke (its dry run)')
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    report = dict(
        command=' '.join(['python -m performance.gpu_acceptance', *(argv if argv is not None else sys.argv[1:])]),
        date=datetime.datetime.now().isoformat(timespec='seconds'),
        machine=f'{gpu_name()}, {len(os.sched_getaffinity(0))} cores',
        steps={})
    for name in [s.strip() for s in args.only.split(',') if s.strip()]:
        log(f'=== {name} ===', start)
        try:
            report['steps'][name] = STEPS[name](args, out)
        except Exception as err:  # record it; the next step still runs
            report['steps'][name] = dict(returncode='error', error=f'{type(err).__name__}: {err}')
        if name == 'tests' and (out / 'tests.log').is_file():
            lines = [line for line in (out / 'tests.log').read_text().splitlines() if line.strip()]
            report['steps'][name]['summary'] = lines[-1] if lines else ''
        report['seconds'] = round(time.monotonic() - start, 1)
        (out / 'acceptance.json').write_text(json.dumps(report, indent=1))
        (out / 'acceptance.md').write_text(markdown(report))
        log(f'{name}: exit status {report["steps"][name].get("returncode")}', start)
    return report


if __name__ == '__main__':
    report = main()
    sys.exit(0 if all(s.get('returncode') == 0 for s in report['steps'].values()) else 1)
