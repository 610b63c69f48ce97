"""How many jobs run at once, with how many torch threads and loader workers each.

Chosen from the cores this process may use (``os.sched_getaffinity``), never oversubscribed:
``jobs * (threads + workers) <= cores``. Independent single-thread jobs use a CPU best (no
intra-op synchronisation), so the cores go to concurrent jobs first and to threads only when there
are fewer jobs than cores. A loader worker (decoding beside the training thread) is given only to a
job that owns 3 or more cores: the benchmark's clips are small (64x64), and on 2 cores one more
single-thread job beats a worker (docs/benchmark.md, "Where the time goes").
"""
import os
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Resources:
    """``jobs`` concurrent jobs, each with ``threads`` torch threads and ``workers`` loader workers."""
    cores: int
    jobs: int
    threads: int
    workers: int

    def describe(self) -> str:
        return (f'{self.cores} core(s) available: {self.jobs} concurrent job(s) x {self.threads} torch thread(s) '
                f'+ {self.workers} loader worker(s) each')


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def plan_resources(cores: int, parallel: Optional[int] = None, max_jobs: Optional[int] = None) -> Resources:
    """The split of ``cores`` for ``parallel`` jobs that could run now (None: as many as there are cores).

    Args:
        cores: cores available (>= 1).
        parallel: how many jobs are ready to run together.
        max_jobs: the user's cap on concurrent jobs (``--jobs``).
    """
    cores = max(1, int(cores))
    jobs = cores
    for cap in (parallel, max_jobs):
        if cap is not None:
            jobs = min(jobs, max(1, int(cap)))
    per_job = cores // jobs
    workers = 1 if per_job >= 3 else 0
    return Resources(cores=cores, jobs=jobs, threads=per_job - workers, workers=workers)
