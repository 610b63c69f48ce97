"""Starting a job's process: ``python TOOL ARGS`` locally, with ``torchrun``, or on Slurm; it dies with
the benchmark, and its CPU seconds are recorded.

A job is a plain process, started (fork + exec) by the benchmark, which never initialises CUDA
(``mmrot3d_harness.benchmark.devices``): every job begins with a fresh interpreter, as when a user types its
command. When the benchmark ends, so do its jobs: the kernel sends a job's process a signal when its
parent dies (``PR_SET_PDEATHSIG``): SIGKILL to a local job (its outputs are written atomically),
SIGTERM to torchrun or srun, which stop their workers or job step. The CPU seconds of a finished job
are those of its process and every process it waited for (loader workers, torchrun's ranks), as
``wait4`` reports them. A job given cores of its own is bound to them before its tool starts
(``sched_setaffinity``), so its threads and every process it starts stay there.
"""
import ctypes
import os
import random
import signal
import subprocess
import sys
import time
from typing import Dict, List, Optional, Sequence

from mmrot3d.utils.shipped_files import shipped_path
from .devices import child_environment

_PR_SET_PDEATHSIG = 1
try:  # loaded here: a child between fork and exec only calls it
    _LIBC = ctypes.CDLL('libc.so.6', use_errno=True)
except OSError:  # not Linux: jobs outlive a killed benchmark
    _LIBC = None


def _child_setup(parent: int, sig: int, cores: Optional[Sequence[int]]):
    """A ``preexec_fn``: signal ``sig`` to this process when ``parent`` (the benchmark) exits, and run it on
    ``cores`` (None: wherever the OS places it)."""

    def arm() -> None:
        if _LIBC is not None:
            _LIBC.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:  # the benchmark died before the line above
            os.kill(os.getpid(), sig)
        if cores:
            try:
                os.sched_setaffinity(0, cores)
            except OSError as e:  # a core went offline since the plan: the job still runs, where the OS puts it
                os.write(2,
                         f'benchmark: could not bind the job to cores {list(cores)} ({e}); it runs unbound\n'.encode())

    return arm


class JobProcess:
    """A job's process, its output appended to ``log_path``. ``poll()`` is None while it runs, then its
    exit status (negative: killed by that signal); ``cpu_seconds`` is set once it has ended."""

    def __init__(self,
                 words: List[str],
                 log_path: str,
                 env: Dict[str, str],
                 parent_death_signal: int,
                 cores: Optional[Sequence[int]] = None):
        with open(log_path, 'a') as log:
            self._popen = subprocess.Popen(
                words,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=child_environment(env),
                preexec_fn=_child_setup(os.getpid(), parent_death_signal, cores))
        self.pid = self._popen.pid
        self.cpu_seconds: Optional[float] = None

    def poll(self) -> Optional[int]:
        if self._popen.returncode is None:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid == 0:
                return None
            self._popen.returncode = os.waitstatus_to_exitcode(status)
            self.cpu_seconds = round(usage.ru_utime + usage.ru_stime, 3)
        return self._popen.returncode

    def kill(self, grace_s: float = 30.0) -> None:
        """SIGTERM (torchrun and srun stop their workers), SIGKILL after ``grace_s``."""
        if self.poll() is not None:
            return
        self._popen.terminate()
        deadline = time.monotonic() + grace_s
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.poll() is None:
            self._popen.kill()
            while self.poll() is None:
                time.sleep(0.05)


class Launcher:
    """How jobs start: ``none`` (``python TOOL``), ``pytorch`` (torchrun, ``gpus`` processes per job) or
    ``slurm`` (srun, ``gpus`` tasks per job on ``partition``)."""

    def __init__(self,
                 kind: str = 'none',
                 gpus: int = 1,
                 partition: Optional[str] = None,
                 srun_args: Sequence[str] = (),
                 cpus_per_task: int = 5):
        if kind not in ('none', 'pytorch', 'slurm'):
            raise ValueError(f'--launcher {kind}: use none, pytorch or slurm')
        if kind == 'slurm' and not partition:
            raise ValueError('--launcher slurm needs --partition NAME')
        if gpus < 1:
            raise ValueError(f'--gpus {gpus}: give 1 or more')
        self.kind, self.gpus, self.partition = kind, gpus, partition
        self.srun_args, self.cpus_per_task = list(srun_args), cpus_per_task

    def env(self, threads: int) -> Dict[str, str]:
        """Thread counts for a job's processes (on Slurm the allocation decides)."""
        if self.kind == 'slurm':
            return {}
        return {'OMP_NUM_THREADS': str(threads), 'MKL_NUM_THREADS': str(threads)}

    def command(self, tool: str, argv: Sequence[str], name: str) -> List[str]:
        """The command line that runs ``tool`` (a shipped path like ``tools/train.py``) for this launcher."""
        path = str(shipped_path(tool))
        if self.kind == 'none':
            return [sys.executable, path, *argv]
        if self.kind == 'pytorch':
            port = str(20000 + random.Random(f'{name}{time.time()}').randrange(20000))
            return [
                sys.executable, '-m', 'torch.distributed.run', f'--nproc_per_node={self.gpus}', f'--master_port={port}',
                path, *argv, '--launcher', 'pytorch'
            ]
        return [
            'srun', '-p', self.partition, f'--job-name={name[-60:]}', f'--gres=gpu:{self.gpus}',
            f'--ntasks={self.gpus}', f'--ntasks-per-node={self.gpus}', f'--cpus-per-task={self.cpus_per_task}',
            '--kill-on-bad-exit=1', *self.srun_args, sys.executable, '-u', path, *argv, '--launcher', 'slurm'
        ]

    def start(self,
              tool: str,
              argv: List[str],
              name: str,
              log_path: str,
              env: Dict[str, str],
              cores: Optional[Sequence[int]] = None) -> JobProcess:
        """The job's process; ``cores``: those it runs on (None: the OS chooses; always so for srun, whose job
        step runs on the allocation's node)."""
        # a local tool has nothing to clean up; torchrun and srun must stop what they started
        sig = signal.SIGKILL if self.kind == 'none' else signal.SIGTERM
        return JobProcess(self.command(tool, argv, name), log_path, env, sig, None if self.kind == 'slurm' else cores)
