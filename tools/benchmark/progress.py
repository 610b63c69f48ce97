"""Progress of the whole benchmark: elapsed time and an ETA over all remaining jobs.

Each job has a size in ``units`` (training iterations, test or feature batches). A running job's
progress is read from the tail of its log (MMEngine's ``Iter(train) [k/N]``, ``Epoch(train) [e][k/N]``,
``Epoch(test) [k/N]`` lines); seconds per unit are measured per job kind on the jobs that ran or are
running (until a kind has run, ``priors`` give a first guess). The ETA spreads the remaining
unit-seconds over the concurrent slots.
"""
import re
import sys
import time
from pathlib import Path
from typing import Dict, Iterable, Optional, Tuple

_STEP = re.compile(r'\((train|val|test)\)\s*(?:\[(\d+)\])?\s*\[\s*(\d+)/(\d+)\]')


def log_progress(log: Path, units: int, tail_bytes: int = 16384) -> int:
    """Units done by a running job, from the last progress line of its log (0 if none yet); in
    epoch-based training ``Epoch(train) [e][k/N]`` counts ``(e - 1) * N + k``."""
    try:
        with open(log, 'rb') as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - tail_bytes))
            text = f.read().decode('utf-8', 'replace')
    except OSError:
        return 0
    done = 0
    for mode, epoch, k, n in _STEP.findall(text):
        if mode == 'val':
            continue
        k, n = int(k), int(n)
        done = (int(epoch) - 1) * n + k if epoch else k
    return min(done, units)


def format_minutes(seconds: Optional[float]) -> str:
    if seconds is None:
        return '?'
    seconds = int(round(seconds))
    return f'{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}' if seconds >= 3600 else \
        f'{seconds // 60}:{seconds % 60:02d}'


class Progress:
    """Measures seconds per unit per kind and prints ``[label jobs d/n | elapsed m:ss, ETA m:ss] ...``."""

    def __init__(self, label: str, priors: Optional[Dict[str, float]] = None, stream=None):
        self.label, self.start = label, time.monotonic()
        self.priors = dict(priors or {})
        self.measured: Dict[str, Tuple[float, float]] = {}  # kind -> (seconds, units) of finished jobs
        self.stream = stream or sys.stderr

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def record(self, kind: str, seconds: float, units: int) -> None:
        s, u = self.measured.get(kind, (0.0, 0.0))
        self.measured[kind] = (s + seconds, u + max(units, 1))

    def rate(self, kind: str, running: Iterable[Tuple[str, float, int]] = ()) -> Optional[float]:
        """Seconds per unit of ``kind``: finished jobs, else running ones, else the prior."""
        if kind in self.measured:
            s, u = self.measured[kind]
            return s / u
        live = [(s, u) for k, s, u in running if k == kind and u > 0 and s > 5]
        if live:
            return sum(s for s, _ in live) / sum(u for _, u in live)
        return self.priors.get(kind)

    def eta(self, remaining: Iterable[Tuple[str, int]], running: Iterable[Tuple[str, float, int, int]],
            slots: int) -> Optional[float]:
        """Seconds until all jobs are done. ``remaining``: (kind, units) of jobs not started;
        ``running``: (kind, seconds so far, units done, units) of running jobs."""
        running = list(running)
        live = [(k, s, d) for k, s, d, _ in running]
        total = 0.0
        for kind, units in remaining:
            rate = self.rate(kind, live)
            if rate is None:
                return None
            total += rate * units
        for kind, _, done, units in running:
            rate = self.rate(kind, live)
            if rate is None:
                return None
            total += rate * max(units - done, 0)
        return total / max(1, slots)

    def say(self,
            message: str,
            done: Optional[int] = None,
            total: Optional[int] = None,
            eta: Optional[float] = None) -> None:
        """``[label d/n jobs | m:ss elapsed, ETA m:ss] message`` (without the job count when ``total`` is None)."""
        jobs = f' {done}/{total} jobs' if total else ''
        eta_text = f', ETA {format_minutes(eta)}' if total and done < total else ''
        self.stream.write(f'[{self.label}{jobs} | {format_minutes(self.elapsed())} elapsed{eta_text}] {message}\n')
        self.stream.flush()
