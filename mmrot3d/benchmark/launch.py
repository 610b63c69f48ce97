"""Starting a job's process: locally, with ``torchrun``, or on Slurm; it dies with the benchmark.

Locally (``--launcher none``) a job is forked from a server process that has imported torch, MMEngine,
MMAction2 and mmrot3d once (``multiprocessing``'s forkserver), and runs the tool's ``__main__`` with its
argv: the same as ``python TOOL ARGS`` without the ~5 s of CPU that importing costs each time. The
server forks before any thread pool exists, so the children are safe to fork (the main script must
guard its work with ``if __name__ == '__main__'``, as multiprocessing requires). With ``torchrun`` and
``srun`` the job is their command line. When the benchmark is killed, so are its jobs: a local job
watches the benchmark's process (a pidfd) and kills itself when it ends; a torchrun or srun parent gets
SIGTERM (``PR_SET_PDEATHSIG``) to stop its workers or job step.
"""
import ctypes
import multiprocessing
import os
import random
import resource
import runpy
import select
import signal
import subprocess
import sys
import threading
import time
from typing import Dict, List, Optional, Sequence

from ..utils.shipped_files import shipped_path
from .speedups import speed_up_config_handling

_PR_SET_PDEATHSIG = 1
# What every job imports (measured: importing these in each job cost ~3 s of its CPU); importing them
# starts no thread, so the server stays safe to fork.
PRELOAD = [
    'mmrot3d.benchmark.launch', 'mmrot3d', 'mmengine.runner', 'mmaction.models', 'mmaction.datasets', 'mmaction.engine',
    'mmaction.visualization', 'matplotlib.pyplot', 'decord', 'torch._dynamo'
]


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask Linux to send ``sig`` to this process when its parent exits (no-op elsewhere)."""
    try:
        libc = ctypes.CDLL('libc.so.6', use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except OSError:
        pass


def _sigterm_with_parent() -> None:
    die_with_parent(signal.SIGTERM)


def die_with(pid: int) -> None:
    """Kill this process when process ``pid`` ends (a daemon thread waits on its pidfd).

    A forked job cannot rely on its parent's death alone: its parent is the fork server, which lives
    as long as any job holds the server's keep-alive pipe, which every forked job inherits.
    """
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:  # already gone
        os.kill(os.getpid(), signal.SIGKILL)
    except (AttributeError, OSError):  # no pidfd (old kernel): poll
        fd = None

    def watch() -> None:
        if fd is not None:
            select.select([fd], [], [])
        else:
            while _alive(pid):
                time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name='die-with-benchmark', daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def run_tool(tool: str, argv: Sequence[str], log_path: str, env: Dict[str, str], threads: int,
             orchestrator: int) -> None:
    """The body of a local job process: environment ``env``, output to ``log_path``, ``threads`` torch
    threads, then ``tool`` as ``__main__``."""
    die_with(orchestrator)
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.environ.clear()  # the benchmark's environment now, not the fork server's from when it started
    os.environ.update(env)
    import torch
    torch.set_num_threads(threads)
    speed_up_config_handling()
    sys.argv = [tool, *argv]
    try:
        runpy.run_path(tool, run_name='__main__')
    finally:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        with open(log_path + '.cpu', 'w') as f:
            f.write(f'{usage.ru_utime + usage.ru_stime:.3f}\n')
        sys.stdout.flush()
        sys.stderr.flush()


class LocalProcess:
    """A job forked from the preloaded server; ``poll()`` is None while it runs, then its exit code."""
    _context = None

    def __init__(self, tool: str, argv: List[str], log_path: str, env: Dict[str, str], threads: int):
        if LocalProcess._context is None:
            LocalProcess._context = multiprocessing.get_context('forkserver')
            LocalProcess._context.set_forkserver_preload(PRELOAD)
        self._process = LocalProcess._context.Process(
            target=run_tool, args=(tool, argv, log_path, {
                **os.environ,
                **env
            }, threads, os.getpid()), daemon=False)
        self._process.start()
        self.pid = self._process.pid

    def poll(self) -> Optional[int]:
        return None if self._process.is_alive() else self._process.exitcode

    def kill(self) -> None:
        self._process.kill()
        self._process.join(5)


class CommandProcess:
    """A job that is a command line (torchrun, srun), its output appended to ``log_path``."""

    def __init__(self, words: List[str], log_path: str, env: Dict[str, str]):
        with open(log_path, 'a') as log:
            self._popen = subprocess.Popen(
                words, stdout=log, stderr=subprocess.STDOUT, env={
                    **os.environ,
                    **env
                }, preexec_fn=_sigterm_with_parent)
        self.pid = self._popen.pid

    def poll(self) -> Optional[int]:
        return self._popen.poll()

    def kill(self) -> None:
        self._popen.terminate()
        try:
            self._popen.wait(30)
        except subprocess.TimeoutExpired:
            self._popen.kill()


class Launcher:
    """How jobs start: ``none`` (local processes), ``pytorch`` (torchrun, ``gpus`` per job) or ``slurm``
    (srun, ``gpus`` tasks per job on ``partition``)."""

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

    def start(self, tool: str, argv: List[str], name: str, log_path: str, env: Dict[str, str], threads: int):
        if self.kind == 'none':
            return LocalProcess(str(shipped_path(tool)), argv, log_path, env, threads)
        return CommandProcess(self.command(tool, argv, name), log_path, env)
