"""The CPU cores this process may use."""
import os


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. under ``taskset`` or a Slurm/cgroup
    allocation), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
