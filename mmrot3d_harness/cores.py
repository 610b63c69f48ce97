"""The CPU cores this process may use."""
import os
from typing import List


def core_ids() -> List[int]:
    """The ids of the cores this process may run on (its CPU affinity, e.g. under ``taskset`` or a
    Slurm/cgroup allocation), sorted; empty where the OS does not tell (not Linux)."""
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:
        return []


def available_cores() -> int:
    """How many cores this process may run on (:func:`core_ids`), not the machine's count."""
    return len(core_ids()) or os.cpu_count() or 1
