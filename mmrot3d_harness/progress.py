"""The one progress printer of every long tool: ``[label done/total unit | m:ss elapsed, ETA m:ss] message``.

:class:`CountProgress` counts items of one kind (videos checked, clips generated, backbones measured). The
benchmark's :class:`Progress` counts jobs of several kinds, each sized in ``units`` (training iterations, test
batches, videos). A running job's progress is read from the tail of its log (MMEngine's ``Iter(train) [k/N]``,
``Epoch(train) [e][k/N]``, ``Epoch(test) [k/N]`` lines, or a :class:`CountProgress` line); seconds per unit
are measured per job kind on the jobs that ran or are running (until a kind has run, ``priors`` give a first
guess). The ETA spreads the remaining unit-seconds over the concurrent slots.
"""
import re
import sys
import time
from pathlib import Path
from typing import Dict, Iterable, Optional, Tuple

_STEP = re.compile(r'\((train|val|test)\)\s*(?:\[(\d+)\])?\s*\[\s*(\d+)/(\d+)\]')
_COUNT = re.compile(r'^\[[^]|\n]* (\d+)/(\d+) [^]|\n]* \|', re.M)  # a CountProgress line


def log_progress(log: Path, units: int, tail_bytes: int = 16384) -> int:
    """Units done by a running job, from the last progress line of its log (0 if none yet): MMEngine's, where
    in epoch-based training ``Epoch(train) [e][k/N]`` counts ``(e - 1) * N + k``, or a :class:`CountProgress`'s."""
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
    counted = _COUNT.findall(text)
    if counted:
        done = max(done, int(counted[-1][0]))
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
            eta: Optional[float] = None,
            unit: str = 'jobs') -> None:
        """``[label d/n jobs | m:ss elapsed, ETA m:ss] message`` (without the count when ``total`` is None)."""
        count = f' {done}/{total} {unit}' if total else ''
        eta_text = f', ETA {format_minutes(eta)}' if total and done < total else ''
        self.stream.write(f'[{self.label}{count} | {format_minutes(self.elapsed())} elapsed{eta_text}] {message}\n')
        self.stream.flush()


class CountProgress:
    """Progress through ``total`` items of one kind: ``update(done)`` (or the call ``counter(done, total)``, the
    signature of the library's ``progress`` callbacks) prints at most every ``every_s`` seconds (five times less
    often when the stream is a log, not a terminal), and always the last item:
    ``[check 120/400 videos | 0:05 elapsed, ETA 0:12] 24.0 videos/s``."""

    def __init__(self, label: str, total: int, unit: str, stream=None, every_s: float = 1.0):
        self.total, self.unit = total, unit
        self.progress = Progress(label, stream=stream)
        self.every_s = every_s if getattr(self.progress.stream, 'isatty', lambda: False)() else 5 * every_s
        self.last: Optional[float] = None

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not (force or done >= self.total) and self.last is not None and now - self.last < self.every_s:
            return
        self.last = now
        elapsed = self.progress.elapsed()
        rate = done / max(elapsed, 1e-6)
        eta = (self.total - done) / rate if rate > 0 else None
        self.progress.say(f'{rate:.1f} {self.unit}/s', done, self.total, eta, unit=self.unit)

    def __call__(self, done: int, total: Optional[int] = None) -> None:
        if total is not None:
            self.total = total
        self.update(done)
