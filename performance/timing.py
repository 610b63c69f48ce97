"""The one timing rule of the suite: interleave variants round-robin in one process, warm up,
repeat, and report medians and ratios against a baseline measured in the same run.

Absolute times on shared CPU machines are noisy; a ratio of two variants timed alternately in
the same process is what stays meaningful.
"""
import os
import time
from typing import Callable, Dict, List, Optional

import torch

_DEVICE = 'cpu'


def set_device(device: str) -> None:
    global _DEVICE
    _DEVICE = device


def sync() -> None:
    if _DEVICE.startswith('cuda'):
        torch.cuda.synchronize()


def log(msg: str) -> None:
    print(msg, flush=True)


def interleave(variants: Dict[str, Callable[[], Optional[float]]],
               repeats: int,
               warmup: int = 1,
               label: str = '') -> Dict[str, List[float]]:
    """Run every variant ``warmup`` times, then ``repeats`` rounds round-robin.

    A variant returns ``None`` (its wall time is measured here) or its own measured seconds
    (when it must exclude set-up from the time). Returns the list of seconds per variant.
    """
    for name, fn in variants.items():
        for _ in range(warmup):
            fn()
            sync()
        log(f'  [{label}] warmed up {name}')
    times = {name: [] for name in variants}
    for r in range(repeats):
        # rotate the order each round so no variant always follows the same neighbour
        names = list(variants)
        names = names[r % len(names):] + names[:r % len(names)]
        for name in names:
            sync()
            start = time.perf_counter()
            own = variants[name]()
            sync()
            times[name].append(float(own) if isinstance(own, (int, float)) else time.perf_counter() - start)
    return times


def print_table(title: str, rows: List[Dict], columns: List[str]) -> None:
    log(f'\n{title}')
    widths = [max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in columns]
    log('  ' + '  '.join(c.ljust(w) for c, w in zip(columns, widths)))
    for r in rows:
        log('  ' + '  '.join(_fmt(r.get(c)).ljust(w) for c, w in zip(columns, widths)))


def _fmt(v) -> str:
    if isinstance(v, float):
        return f'{v:.3g}' if abs(v) < 1000 else f'{v:.0f}'
    return '-' if v is None else str(v)


# Peak memory: CUDA has an allocator counter; on CPU we reset and read the kernel's high-water mark
# of this process's resident set (Linux /proc/self/clear_refs "5" resets VmHWM).
def reset_peak_memory() -> None:
    if _DEVICE.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
        return
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
    except OSError:
        pass


def _status_kib(key: str) -> Optional[int]:
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith(key + ':'):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def current_memory_mib() -> Optional[float]:
    if _DEVICE.startswith('cuda'):
        return torch.cuda.memory_allocated() / 2**20
    kib = _status_kib('VmRSS')
    return None if kib is None else kib / 1024


def peak_memory_mib() -> Optional[float]:
    if _DEVICE.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2**20
    kib = _status_kib('VmHWM')
    return None if kib is None else kib / 1024


def environment(device: str) -> Dict:
    info = dict(
        torch=torch.__version__,
        device=device,
        cpu_count=os.cpu_count(),
        torch_threads=torch.get_num_threads(),
        load_avg=os.getloadavg())
    if device.startswith('cuda') and torch.cuda.is_available():
        info['gpu'] = torch.cuda.get_device_name()
    return info
