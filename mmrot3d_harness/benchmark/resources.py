"""How many jobs run at once, with how many torch threads and loader workers each, and on which GPUs.

On CPUs (``plan_resources``) the split is chosen from the cores this process may use
(``os.sched_getaffinity``), never oversubscribed: ``jobs * (threads + workers) <= cores``. Independent
single-thread jobs use a CPU best (no intra-op synchronisation), so the cores go to concurrent jobs
first; ``--jobs`` caps them and leaves each job more threads. A loader worker (decoding beside the
training thread) is given only to a job that owns 3 or more cores: the benchmark's clips are small
(64x64), and on 2 cores one more single-thread job beats a worker (docs/benchmark.md, "Measured, and
where the time goes"). Every job of a run gets the same split, so a job's numbers never depend on what
happened to run beside it. Each concurrent job runs on cores of its own (``core_slots``, set in the job's
process before its tool starts): left to the OS, two single-thread jobs and their decoder threads migrate
between the cores, and their steps ran 1.11-1.15x slower (docs/performance.md, section 7).

On GPUs (``plan_gpu_resources``) a job gets GPUs of its own: the visible GPUs are cut into groups of
``--gpus`` (one GPU per job with ``--launcher none``), one concurrent job per group, each started with
``CUDA_VISIBLE_DEVICES`` set to its group; the configs keep their loader workers.
"""
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple


@dataclass(frozen=True)
class Resources:
    """``jobs`` concurrent jobs, each with ``threads`` torch threads (per process) and ``workers`` loader
    workers (None: as the configs set them); ``gpu_slots``: the ``CUDA_VISIBLE_DEVICES`` of each
    concurrent job (empty: not assigned)."""
    cores: int
    jobs: int
    threads: int
    workers: Optional[int]
    gpu_slots: Tuple[str, ...] = ()
    core_slots: Tuple[Tuple[int, ...], ...] = ()

    def describe(self) -> str:
        if self.workers is None:
            where = f' on GPU(s) {" | ".join(self.gpu_slots)}' if self.gpu_slots else ''
            return (f'{self.cores} core(s) available: {self.jobs} job(s) at a time{where}, {self.threads} torch '
                    'thread(s) per process, loader workers as the configs set them')
        pinned = ', each on cores of its own' if self.core_slots else ''
        return (f'{self.cores} core(s) available: {self.jobs} concurrent job(s) x {self.threads} torch thread(s) '
                f'+ {self.workers} loader worker(s) each{pinned}')


def plan_resources(cores: int, max_jobs: Optional[int] = None, core_ids: Sequence[int] = ()) -> Resources:
    """The split of ``cores`` (>= 1) between at most ``max_jobs`` concurrent jobs (None: one per core).
    With the ids of those cores (``core_ids``, as many), each concurrent job gets ``cores // jobs`` of its own."""
    cores = max(1, int(cores))
    jobs = cores if max_jobs is None else min(cores, max(1, int(max_jobs)))
    per_job = cores // jobs
    workers = 1 if per_job >= 3 else 0
    if core_ids and len(core_ids) != cores:
        raise ValueError(f'{len(core_ids)} core ids for {cores} cores')
    slots = tuple(tuple(core_ids[i * per_job:(i + 1) * per_job]) for i in range(jobs)) if core_ids else ()
    return Resources(cores=cores, jobs=jobs, threads=per_job - workers, workers=workers, core_slots=slots)


def plan_gpu_resources(cores: int,
                       gpus: Sequence[str],
                       gpus_per_job: int,
                       max_jobs: Optional[int] = None,
                       processes_per_job: int = 1) -> Resources:
    """Jobs on GPUs: one per ``gpus_per_job`` of the visible ``gpus`` (at most ``max_jobs``); without
    visible GPUs (a scheduler's allocation, gloo on CPUs) ``max_jobs`` or 1 job(s) without assigned GPUs.
    Each job's processes share ``cores / jobs`` as their torch threads.

    Raises:
        ValueError: fewer GPUs are visible than one job needs.
    """
    if gpus and len(gpus) < gpus_per_job:
        raise ValueError(f'--gpus {gpus_per_job}: only {len(gpus)} GPU(s) visible ({",".join(gpus)})')
    slots = tuple(','.join(gpus[i:i + gpus_per_job]) for i in range(0, len(gpus) - gpus_per_job + 1, gpus_per_job))
    jobs = max(1, int(max_jobs)) if max_jobs else 1
    if slots:
        jobs = min(jobs, len(slots)) if max_jobs else len(slots)
    cores = max(1, int(cores))
    threads = max(1, cores // (jobs * processes_per_job))
    return Resources(cores=cores, jobs=jobs, threads=threads, workers=None, gpu_slots=slots[:jobs])
