"""How many jobs run at once, with how many torch threads and loader workers each.

Chosen from the cores this process may use (``os.sched_getaffinity``), never oversubscribed:
``jobs * (threads + workers) <= cores``. Independent single-thread jobs use a CPU best (no
intra-op synchronisation), so the cores go to concurrent jobs first; ``--jobs`` caps them and leaves
each job more threads. A loader worker (decoding beside the training thread) is given only to a job
that owns 3 or more cores: the benchmark's clips are small (64x64), and on 2 cores one more
single-thread job beats a worker (docs/benchmark.md, "Measured, and where the time goes"). Every job of a run gets
the same split, so a job's numbers never depend on what happened to run beside it.
"""
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


def plan_resources(cores: int, max_jobs: Optional[int] = None) -> Resources:
    """The split of ``cores`` (>= 1) between at most ``max_jobs`` concurrent jobs (None: one per core)."""
    cores = max(1, int(cores))
    jobs = cores if max_jobs is None else min(cores, max(1, int(max_jobs)))
    per_job = cores // jobs
    workers = 1 if per_job >= 3 else 0
    return Resources(cores=cores, jobs=jobs, threads=per_job - workers, workers=workers)
