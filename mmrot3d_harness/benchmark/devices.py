"""The GPUs a process may use, found without initialising CUDA in it.

A process that only starts others (the benchmark) leaves CUDA alone: once CUDA is initialised, children
it forks cannot use it, and it would hold GPU state it never needs. torch answers
``torch.cuda.is_available()`` through NVML when ``PYTORCH_NVML_BASED_CUDA_CHECK=1`` (torch's own switch,
documented as never poisoning forks), and ``torch.cuda.device_count()`` does so whenever CUDA is not
initialised; where NVML is missing torch falls back to the CUDA runtime. The benchmark command sets
the switch before its imports (:func:`check_gpus_through_nvml`) and keeps the value it found in
``MMROT3D_JOBS_NVML_CHECK`` for the jobs.
"""
import os
from typing import Dict, List, Optional

NVML_CHECK = 'PYTORCH_NVML_BASED_CUDA_CHECK'
JOBS_NVML_CHECK = 'MMROT3D_JOBS_NVML_CHECK'


def check_gpus_through_nvml() -> None:
    """Make every CUDA check of this process (ours, MMEngine's and mmcv's at their import) ask NVML: call it
    before importing torch in a process that only starts jobs. Jobs get the variable as it was
    (:func:`child_environment`)."""
    os.environ.setdefault(JOBS_NVML_CHECK, os.environ.get(NVML_CHECK, ''))
    os.environ[NVML_CHECK] = '1'


def child_environment(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """This process's environment for a job it starts, plus ``extra``: the NVML switch as it was before
    the benchmark set it (jobs use CUDA, and check for it as torch normally does)."""
    env = dict(os.environ)
    if JOBS_NVML_CHECK in env:
        value = env.pop(JOBS_NVML_CHECK)
        env.pop(NVML_CHECK, None)
        if value:
            env[NVML_CHECK] = value
    env.update(extra or {})
    return env


def visible_gpus() -> List[str]:
    """The CUDA devices this process may use, named as a child's ``CUDA_VISIBLE_DEVICES`` takes them:
    the entries of this process's ``CUDA_VISIBLE_DEVICES`` where it is set, else ``0 .. n-1``.

    ``torch.cuda.device_count()`` counts through NVML while CUDA is not initialised (no CUDA context,
    forks stay usable); a CPU build of torch counts 0.
    """
    import torch
    count = torch.cuda.device_count()
    listed = os.environ.get('CUDA_VISIBLE_DEVICES')
    if listed is None:
        return [str(i) for i in range(count)]
    return [name.strip() for name in listed.split(',') if name.strip()][:count]
