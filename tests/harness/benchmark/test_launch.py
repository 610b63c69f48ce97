"""How the benchmark starts jobs: plain processes that die with the benchmark, their CPU seconds (with their
children's) recorded; jobs that run at the same time on GPUs and cores of their own; and a benchmark process that never
initialises CUDA (a torch built with CUDA is simulated: NVML counts 2 GPUs, initialising CUDA raises)."""
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from official_trees import official_tree

from mmrot3d.utils.shipped_files import shipped_path
from mmrot3d_harness.benchmark.devices import child_environment, visible_gpus
from mmrot3d_harness.benchmark.jobs import Job
from mmrot3d_harness.benchmark.launch import JobProcess, Launcher
from mmrot3d_harness.benchmark.resources import plan_gpu_resources, plan_resources
from mmrot3d_harness.benchmark.scheduler import Scheduler
from mmrot3d_harness.progress import Progress

CHECKOUT = Path(__file__).resolve().parents[3]  # the folder holding tools/
BURN_IN_A_CHILD = '''
import multiprocessing, time
def burn():
    end = time.process_time() + 0.6
    while time.process_time() < end:
        pass
if __name__ == '__main__':
    child = multiprocessing.get_context('fork').Process(target=burn)
    child.start()
    child.join()
    assert child.exitcode == 0
'''


def wait(process, timeout=60):
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        assert time.monotonic() < deadline, 'the job did not end'
        time.sleep(0.02)
    return process.poll()


def test_a_jobs_cpu_seconds_include_the_processes_it_started(tmp_path):
    job = JobProcess([sys.executable, '-c', BURN_IN_A_CHILD], str(tmp_path / 'job.log'), {}, signal.SIGKILL)
    assert wait(job) == 0
    assert job.cpu_seconds >= 0.6  # the child's 0.6 s (a loader worker, a torchrun rank) counted


def test_a_job_dies_with_the_benchmark_that_started_it(tmp_path):
    # a stand-in benchmark: starts a long job, reports its pid, is killed with SIGKILL
    parent = subprocess.Popen([
        sys.executable, '-c', 'import signal, sys, time\n'
        f'sys.path.insert(0, {str(CHECKOUT)!r})\n'
        'from mmrot3d_harness.benchmark.launch import JobProcess\n'
        f'job = JobProcess([sys.executable, "-c", "import time; time.sleep(60)"], {str(tmp_path / "j.log")!r}, {{}}, '
        'signal.SIGKILL)\n'
        'print(job.pid, flush=True)\n'
        'time.sleep(60)'
    ],
                              stdout=subprocess.PIPE,
                              text=True)
    pid = int(parent.stdout.readline())
    assert Path(f'/proc/{pid}').exists()
    parent.kill()
    parent.wait()
    for _ in range(200):
        if not Path(f'/proc/{pid}').exists() or 'zombie' in Path(f'/proc/{pid}/status').read_text():
            break
        time.sleep(0.05)
    else:
        raise AssertionError(f'job {pid} outlived the benchmark')


# The start of every reporting job (argv: its report file, and how many jobs run at once): it marks that it
# started and waits until as many jobs have started as may run at once, so jobs started together provably overlap
# (a scheduler that ran them one after another fails here); its report says when it ran and what it saw.
REPORTING_JOB = '''
import json, os, sys, time
report, together = sys.argv[1], int(sys.argv[2])
folder, start = os.path.dirname(report), time.time()
open(report + '.started', 'w').close()
deadline = time.monotonic() + 60
while sum(name.endswith('.started') for name in os.listdir(folder)) < together:
    if time.monotonic() > deadline:
        sys.exit('no other job was started beside this one')
    time.sleep(0.02)
def done(seen):
    with open(report, 'w') as f:
        json.dump(dict(seen=seen, start=start, end=time.time()), f)
'''


class EchoLauncher(Launcher):
    """Jobs that report the GPUs they were given."""

    def command(self, tool, argv, name):
        return [sys.executable, '-c', REPORTING_JOB + 'done(os.environ.get("CUDA_VISIBLE_DEVICES", "-"))', *argv]


def run_reporting_jobs(launcher, resources, folder, count=4):
    """``count`` jobs, each reporting what it saw; returns their results and reports (``seen``, ``start``, ``end``)."""
    jobs = [
        Job(f'job{i}',
            'finetune',
            folder / f'job{i}',
            'tools/train.py', [str(folder / f'seen{i}.json'), str(resources.jobs)],
            collect=lambda folder: {}) for i in range(count)
    ]
    progress = Progress('t', priors=dict(finetune=0.1), stream=io.StringIO())
    results = Scheduler(launcher, progress, resources).run(jobs)
    return [results[f'job{i}']['job']
            for i in range(count)], [json.loads((folder / f'seen{i}.json').read_text()) for i in range(count)]


def overlapping_pairs(reports):
    """Index pairs of the jobs that ran at the same time: at least one pair (the jobs started together)."""
    pairs = [(i, j) for i, a in enumerate(reports) for j, b in enumerate(reports[:i])
             if a['start'] < b['end'] and b['start'] < a['end']]
    assert pairs, 'no two jobs ran at the same time'
    return pairs


def test_concurrent_gpu_jobs_each_get_gpus_of_their_own(tmp_path):
    resources = plan_gpu_resources(cores=8, gpus=['0', '1', '2', '3'], gpus_per_job=2)
    assert (resources.jobs, resources.gpu_slots, resources.threads) == (2, ('0,1', '2,3'), 4)
    jobs, reports = run_reporting_jobs(EchoLauncher(), resources, tmp_path)
    seen = [report['seen'] for report in reports]
    assert sorted(seen) == ['0,1', '0,1', '2,3', '2,3']
    assert [job['gpus'] for job in jobs] == seen
    for i, j in overlapping_pairs(reports):
        assert seen[i] != seen[j], (i, j, seen)  # jobs running together never share a GPU
    assert all(job['cpu_seconds'] > 0 for job in jobs)


class AffinityLauncher(Launcher):
    """Jobs that report the cores they and a process they start may run on."""

    def command(self, tool, argv, name):
        return [
            sys.executable, '-c', REPORTING_JOB + 'import subprocess\n'
            'child = subprocess.run([sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"], '
            'capture_output=True, text=True, check=True).stdout.strip()\n'
            'done(f"{sorted(os.sched_getaffinity(0))} {child}")', *argv
        ]


def test_concurrent_cpu_jobs_run_on_cores_of_their_own(tmp_path):
    ids = sorted(os.sched_getaffinity(0))[:2]
    if len(ids) < 2:
        pytest.skip('needs 2 cores to give two concurrent jobs one each')
    jobs, reports = run_reporting_jobs(AffinityLauncher(), plan_resources(len(ids), core_ids=ids), tmp_path)
    for job, report in zip(jobs, reports):
        assert job['cores'] in ([core] for core in ids)
        assert report['seen'] == f'{job["cores"]} {job["cores"]}'  # the job and the process it starts
    for i, j in overlapping_pairs(reports):
        assert jobs[i]['cores'] != jobs[j]['cores'], (i, j, jobs[i]['cores'])  # running together: own cores


def test_gpu_plans():
    assert plan_gpu_resources(16, ['0'], 1).gpu_slots == ('0', )
    assert plan_gpu_resources(16, [str(i) for i in range(8)], 1, max_jobs=3).jobs == 3
    assert plan_gpu_resources(16, [], 2).gpu_slots == ()  # torchrun with gloo, or Slurm: nothing assigned
    with pytest.raises(ValueError, match='--gpus 4: only 2 GPU'):
        plan_gpu_resources(16, ['0', '1'], 4)


def test_visible_gpus_follow_cuda_visible_devices(monkeypatch):
    import torch
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: 2)
    monkeypatch.delenv('CUDA_VISIBLE_DEVICES', raising=False)
    assert visible_gpus() == ['0', '1']
    monkeypatch.setenv('CUDA_VISIBLE_DEVICES', '3,5')
    assert visible_gpus() == ['3', '5']


def test_jobs_get_the_cuda_check_the_benchmark_found(monkeypatch):
    monkeypatch.setenv('MMROT3D_JOBS_NVML_CHECK', '')
    monkeypatch.setenv('PYTORCH_NVML_BASED_CUDA_CHECK', '1')
    env = child_environment({'OMP_NUM_THREADS': '2'})
    assert 'PYTORCH_NVML_BASED_CUDA_CHECK' not in env and 'MMROT3D_JOBS_NVML_CHECK' not in env
    assert env['OMP_NUM_THREADS'] == '2'


GUARD = '''
import runpy, sys
import torch
import torch.cuda

def refuse(*args, **kwargs):
    raise RuntimeError('the benchmark process initialised CUDA')

torch.cuda._is_compiled = lambda: True  # a torch built with CUDA ...
torch.cuda._device_count_nvml = lambda: 2  # ... on a machine where NVML sees 2 GPUs
torch._C._cuda_getDeviceCount = refuse  # cudaGetDeviceCount: initialises the driver
torch.cuda._lazy_init = refuse
torch.cuda.init = refuse
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
'''


def test_the_benchmark_process_never_initialises_cuda(tmp_path):
    """Imports, backbone checks and planning with NVML alone: two GPUs found, one job on each."""
    import torch
    from mmaction.registry import MODELS
    from mmengine.config import Config
    cfg = Config.fromfile(
        shipped_path('configs/rotnet3d/finetune/r3d18_scratch_1xb32-16x2x1-150e_ucf101-split1-rgb.py'))
    backbone = tmp_path / 'theirs.pth'  # a DDP-style state dict of an external codebase
    state = MODELS.build(cfg.model.backbone).state_dict()
    torch.save({f'module.backbone.{k}': v for k, v in state.items()}, backbone)
    run = subprocess.run([
        sys.executable, '-c', GUARD,
        str(shipped_path('tools/benchmark.py')), 'ucf101', '--data-root',
        str(official_tree('ucf101')), '--work-dir',
        str(tmp_path / 'work'), '--splits', '1', '--seeds', '0', '--backbone', f'theirs={backbone}', '--prefix',
        'theirs=module.backbone.', '--dry-run'
    ],
                         capture_output=True,
                         text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert '2 job(s) at a time on GPU(s) 0 | 1' in run.stdout + run.stderr
    assert 'tools/train.py' in run.stdout and 'tools/eval_frozen.py' in run.stdout
