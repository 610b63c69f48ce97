"""Kill the benchmark with SIGKILL in the middle of a training job, start it again: the finished runs are not
repeated, the interrupted one resumes from its checkpoint, and the tables equal an uninterrupted run's.
On an official-layout HMDB51 tree."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from official_trees import benchmark, official_tree, tiny_options

from mmrot3d.utils.shipped_files import shipped_path


def argv(work: Path):
    return [
        'hmdb51', '--data-root',
        official_tree('hmdb51'), '--work-dir', work, '--splits', '1', '--seeds', '0', '--cfg-options',
        *tiny_options(epochs=3)
    ]


def interrupted_training(work: Path):
    """A training job folder with a finished checkpoint (``last_checkpoint`` names it) but no result yet."""
    for pointer in work.glob('jobs/finetune/**/last_checkpoint'):
        named = pointer.read_text().strip()
        if named and Path(named).is_file() and not (pointer.parent / 'result.json').exists():
            return pointer.parent
    return None


def kill_while_training(work: Path, log: Path) -> Path:
    """Start the benchmark as a user would; when a training job has written its first checkpoint, hold that
    job (SIGSTOP) until another job has finished, SIGKILL the benchmark and let the job go on. Returns the
    held job's folder, after its process has died with the benchmark."""
    with open(log, 'w') as out:
        proc = subprocess.Popen([sys.executable,
                                 str(shipped_path('tools/benchmark.py')), *map(str, argv(work))],
                                stdout=out,
                                stderr=subprocess.STDOUT)
    deadline, job, pid = time.monotonic() + 600, None, None
    while time.monotonic() < deadline and proc.poll() is None:
        if job is None:
            job = interrupted_training(work)
            if job is not None:
                pid = int((job / '.lock').read_text())
                os.kill(pid, signal.SIGSTOP)
        elif any(p.parent != job for p in work.glob('jobs/**/result.json')):
            break
        time.sleep(0.02)
    assert proc.poll() is None and job is not None, log.read_text()[-3000:]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    os.kill(pid, signal.SIGCONT)  # the held job runs on, sees that the benchmark is gone, and ends itself
    for _ in range(200):
        if not Path(f'/proc/{pid}').exists() or 'zombie' in Path(f'/proc/{pid}/status').read_text():
            break
        time.sleep(0.05)
    else:
        raise AssertionError(f'job process {pid} outlived the killed benchmark')
    return job


def tables(work: Path) -> str:
    """results.md without its last line (the wall time)."""
    return '\n'.join((work / 'results.md').read_text().strip().splitlines()[:-1])


@pytest.mark.slow
def test_sigkill_then_restart_equals_an_uninterrupted_run(tmp_path, monkeypatch):
    # Jobs on the CPU, also where there is a GPU: equal tables need bit-identical training, a CPU property
    # (cuDNN's backward passes are not deterministic). tests/harness/benchmark/test_gpu_benchmark.py runs it on GPUs.
    monkeypatch.setenv('CUDA_VISIBLE_DEVICES', '')
    reference = benchmark(argv(tmp_path / 'uninterrupted'))

    work = tmp_path / 'killed'
    job = kill_while_training(work, tmp_path / 'killed.log')
    finished = {p: p.stat().st_mtime_ns for p in work.glob('jobs/**/result.json')}
    assert finished and not (job / 'result.json').exists()

    restarted = benchmark(argv(work))
    assert {p: p.stat().st_mtime_ns for p in finished} == finished  # no finished run ran again
    result = json.loads((job / 'result.json').read_text())
    assert result['job']['resumed'] and result['job']['command'].endswith(
        'persistent_workers=False') and '--resume' in result['job']['command']
    assert 'resumed epoch: ' in (job / 'job.log').read_text()

    assert restarted['finetune'] == reference['finetune'] and restarted['frozen'] == reference['frozen']
    assert tables(work) == tables(tmp_path / 'uninterrupted')
