"""Runs a benchmark's jobs: finished ones are skipped, ready ones start as cores free up (each under
its folder's lock), and the first failure stops the benchmark naming the job's log.

Of the jobs ready to start, the one with the longest chain of work still depending on it goes first
(critical-path order: e.g. the pretraining before a baseline's fine-tuning), so the slots stay busy
until the end and the benchmark ends as early as its longest chain allows.
"""
import fcntl
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..progress import Progress, log_progress
from .jobs import Job, Results, read_result, shell_line, write_json_atomic
from .launch import Launcher
from .resources import Resources


class JobFailed(RuntimeError):
    """A job exited with an error, or another benchmark process is running it."""


@dataclass
class _Running:
    job: Job
    process: object
    lock: int
    started: float
    resources: Resources
    command: str
    resumed: bool
    gpus: Optional[str] = None
    cores: Optional[Tuple[int, ...]] = None


def acquire_lock(job: Job) -> int:
    """An exclusive lock on the job's folder while it runs; the kernel drops it when we die."""
    job.work_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(job.work_dir / '.lock', os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise JobFailed(f'{job.work_dir}: job {job.name} is being run by another benchmark process; '
                        'wait for it to finish (or stop it), then run this command again') from None
    return fd


def _note_pid(lock: int, pid: int) -> None:
    """The running job's process id, in its lock file (for the curious and for tests)."""
    os.ftruncate(lock, 0)
    os.pwrite(lock, f'{pid}\n'.encode(), 0)


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return '\n'.join(path.read_text(errors='replace').splitlines()[-lines:])
    except OSError:
        return ''


class Scheduler:
    """Args:
        launcher: how tool jobs start. progress: the banner and the ETA.
        resources: concurrent jobs, and every job's threads and loader workers -- the same for every job,
            so that a job's numbers do not depend on what else happened to run beside it.
        worker_options: ``--cfg-options`` words that give a job its loader workers (None: the config's).
        on_done: called with (job, result) when a job finishes.
        banner_s: seconds between progress banners while jobs run.
    """

    def __init__(self,
                 launcher: Launcher,
                 progress: Progress,
                 resources: Resources,
                 worker_options: Optional[Callable[[int, Sequence[str]], List[str]]] = None,
                 on_done: Optional[Callable[[Job, Dict], None]] = None,
                 banner_s: float = 60.0):
        self.launcher, self.progress, self.resources = launcher, progress, resources
        self.worker_options, self.on_done, self.banner_s = worker_options, on_done, banner_s
        self.results: Results = {}
        self.chain: Dict[str, float] = {}
        self.pending: List[Job] = []
        self.running: List[_Running] = []
        self.free_gpus: List[str] = list(resources.gpu_slots)
        self.free_cores: List[Tuple[int, ...]] = list(resources.core_slots)
        self.total = 0

    def run(self, jobs: List[Job]) -> Results:
        names = {j.name for j in jobs}
        unknown = sorted({d for j in jobs for d in j.after} - names)
        if unknown:
            raise JobFailed(f'job dependency {unknown[0]} is not part of the benchmark')
        self.chain = self._chain_lengths(jobs)
        self.results = {j.name: read_result(j) for j in jobs if j.finished()}
        for job in jobs:
            done = self.results.get(job.name, {}).get('job', {}).get('signature')
            if done and done != job.signature():
                raise JobFailed(f'job {job.name} finished earlier with other arguments ({job.result_path}); '
                                'use another --work-dir, or delete that folder to run it again')
        self.pending = [j for j in jobs if j.name not in self.results]
        self.running, self.total = [], len(jobs)
        if self.results:
            self._say(f'{len(self.results)} job(s) finished by an earlier run: skipped')
        last_banner = time.monotonic()
        try:
            while self.pending or self.running:
                for r in [r for r in self.running if r.process.poll() is not None]:
                    self.running.remove(r)
                    self._finish(r, r.process.poll())
                self._start_ready()
                if not self.running and self.pending:
                    raise JobFailed(f'job {self.pending[0].name} waits for jobs that cannot run')
                if self.running and time.monotonic() - last_banner >= self.banner_s:
                    last_banner = time.monotonic()
                    self._say('running: ' + '; '.join(f'{r.job.label or r.job.name} '
                                                      f'{log_progress(r.job.log_path, r.job.units)}/{r.job.units}'
                                                      for r in self.running))
                time.sleep(0.25 if self.running else 0)
        except BaseException:
            for r in self.running:
                r.process.kill()
            raise
        return self.results

    # ------------------------------------------------------------ internals

    def _chain_lengths(self, jobs: List[Job]) -> Dict[str, float]:
        """Estimated seconds of a job plus the longest chain of jobs that need it."""
        needed_by: Dict[str, List[str]] = {j.name: [] for j in jobs}
        for j in jobs:
            for d in j.after:
                needed_by[d].append(j.name)
        cost = {j.name: (self.progress.rate(j.kind) or 1.0) * j.units if j.tool else 0.0 for j in jobs}
        chain: Dict[str, float] = {}

        def length(name: str) -> float:
            if name not in chain:
                chain[name] = cost[name] + max((length(n) for n in needed_by[name]), default=0.0)
            return chain[name]

        for j in jobs:
            length(j.name)
        return chain

    def _ready(self) -> List[Job]:
        ready = [j for j in self.pending if all(d in self.results for d in j.after)]
        return sorted(ready, key=lambda j: -self.chain.get(j.name, 0.0))  # stable: plan order among equals

    def _start_ready(self) -> None:
        for job in [j for j in self._ready() if j.tool is None]:  # steps in this process: instant
            self.pending.remove(job)
            self._call(job)
        for job in self._ready()[:max(0, self.resources.jobs - len(self.running))]:
            self.pending.remove(job)
            self.running.append(self._start(job, self.resources))

    def _start(self, job: Job, res: Resources) -> _Running:
        lock = acquire_lock(job)
        argv = job.argv(self.results)
        resumed = job.resumable and job.started_before()
        if resumed:
            argv.append('--resume')  # MMEngine continues from the newest checkpoint, or starts over if none
        if self.worker_options is not None:
            argv += self.worker_options(res.workers, job.loaders)
        env = self.launcher.env(res.threads)
        gpus = self.free_gpus.pop(0) if self.free_gpus else None
        if gpus is not None:
            env['CUDA_VISIBLE_DEVICES'] = gpus
        cores = self.free_cores.pop(0) if self.free_cores else None
        command = shell_line(self.launcher.command(job.tool, argv, job.name), env)
        with open(job.log_path, 'a') as log:
            log.write(f'# {time.strftime("%Y-%m-%d %H:%M:%S")} {command}\n')
        process = self.launcher.start(job.tool, argv, job.name, str(job.log_path), env, cores)
        _note_pid(lock, process.pid)
        where = f'GPU {gpus}, ' if gpus is not None else ''
        where += f'core(s) {",".join(map(str, cores))}, ' if cores else ''
        workers = 'the config\'s' if res.workers is None else res.workers
        self._say(f'{"resuming" if resumed else "started"} {job.label or job.name} '
                  f'({where}{res.threads} thread(s), {workers} loader worker(s))')
        return _Running(job, process, lock, time.monotonic(), res, command, resumed, gpus, cores)

    def _finish(self, r: _Running, code: int) -> None:
        seconds = time.monotonic() - r.started
        os.close(r.lock)
        if r.gpus is not None:
            self.free_gpus.append(r.gpus)
        if r.cores is not None:
            self.free_cores.append(r.cores)
        if code != 0:
            raise JobFailed(f'job {r.job.name} failed (exit status {code}); its log: {r.job.log_path}\n'
                            f'{_tail(r.job.log_path)}')
        result = dict(r.job.collect(r.job.work_dir) if r.job.collect else {})
        result['job'] = dict(
            kind=r.job.kind,
            signature=r.job.signature(),
            command=r.command,
            resumed=r.resumed,
            seconds=round(seconds, 2),
            # srun's own CPU says nothing of the job step's
            cpu_seconds=None if self.launcher.kind == 'slurm' else r.process.cpu_seconds,
            units=r.job.units,
            threads=r.resources.threads,
            loader_workers=r.resources.workers,
            gpus=r.gpus,
            cores=list(r.cores) if r.cores else None)
        write_json_atomic(r.job.result_path, result)
        self.results[r.job.name] = result
        self.progress.record(r.job.kind, seconds, r.job.units)
        if self.on_done:
            self.on_done(r.job, result)

    def _call(self, job: Job) -> None:
        lock = acquire_lock(job)
        try:
            result = dict(job.call(self.results), job=dict(kind=job.kind, signature=job.signature()))
            write_json_atomic(job.result_path, result)
        finally:
            os.close(lock)
        self.results[job.name] = result
        if self.on_done:
            self.on_done(job, result)

    def eta(self) -> Optional[float]:
        now = time.monotonic()
        live = [(r.job.kind, now - r.started, log_progress(r.job.log_path, r.job.units), r.job.units)
                for r in self.running]
        return self.progress.eta([(j.kind, j.units) for j in self.pending if j.tool], live, self.resources.jobs)

    def _say(self, message: str) -> None:
        done = len(self.results)
        self.progress.say(message, done, self.total, self.eta() if done < self.total else None)
