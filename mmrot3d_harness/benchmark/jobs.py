"""A benchmark job: one run of a shipped tool (or a short step in the orchestrator) in its own folder.

A job is finished iff its ``result.json`` exists. The orchestrator writes it atomically, after the
tool exited 0, from the tool's own outputs; so a job killed at any moment is either finished (and
skipped next time) or not (and run again: a training job with ``--resume``).
"""
import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from mmrot3d.utils.atomic_io import write_text_atomic

RESULT = 'result.json'
Results = Dict[str, Dict]


@dataclass(frozen=True)
class Deferred:
    """An argument known only once job ``after`` has finished: ``expand(result)`` gives its words."""
    after: str
    placeholder: str
    expand: Callable[[Dict], List[str]] = field(compare=False)


Arg = Union[str, Deferred]


@dataclass
class Job:
    """Args:
        name: unique, also its folder below the work dir's ``jobs/`` (``finetune/scratch/split1/seed0``).
        kind: what it does (``pretrain``, ``select``, ``finetune``, ``test``, ``frozen``, ``pretext``,
            ``export``, ``choose``): the progress banner and the timings group by it.
        tool: the shipped tool (``tools/train.py``), or None for a step run in the orchestrator (``call``).
        args: the tool's arguments (a ``Deferred`` is filled in from another job's result at launch).
        units: the job's size for the ETA (training iterations; test or feature batches).
        after: the jobs it needs.
        collect: turns the finished tool's outputs (its folder) into the result (a JSON-able dict).
        call: the step itself when ``tool`` is None: ``call(results) -> result``.
        resumable: relaunch an interrupted run with ``--resume`` (training jobs).
        label: what the progress lines call it.
        loaders: the job's dataloaders (those the scheduler gives loader workers).
    """
    name: str
    kind: str
    work_dir: Path
    tool: Optional[str] = None
    args: List[Arg] = field(default_factory=list)
    units: int = 1
    after: List[str] = field(default_factory=list)
    collect: Optional[Callable[[Path], Dict]] = None
    call: Optional[Callable[[Results], Dict]] = None
    resumable: bool = False
    label: str = ''
    loaders: Sequence[str] = ('train', 'val')

    @property
    def result_path(self) -> Path:
        return self.work_dir / RESULT

    @property
    def log_path(self) -> Path:
        return self.work_dir / 'job.log'

    def finished(self) -> bool:
        return self.result_path.is_file()

    def started_before(self) -> bool:
        """An earlier attempt left a log behind (it was interrupted or failed)."""
        return self.log_path.is_file()

    def signature(self) -> str:
        """What the job runs, as planned (arguments filled in from other jobs appear as placeholders): a
        finished job whose signature differs was run with other arguments and must not be reused."""
        words = [a.placeholder if isinstance(a, Deferred) else str(a) for a in self.args]
        return shlex.join([self.kind, self.tool or '<step>', *words])

    def argv(self, results: Results, dry_run: bool = False) -> List[str]:
        words: List[str] = []
        for arg in self.args:
            if isinstance(arg, Deferred):
                words += [arg.placeholder] if dry_run and arg.after not in results else arg.expand(results[arg.after])
            else:
                words.append(str(arg))
        return words


def read_result(job: Job) -> Dict:
    return json.loads(job.result_path.read_text())


def write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(str(path), json.dumps(data, indent=1, default=_plain))


def _plain(value):
    if hasattr(value, 'item'):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f'not JSON-serialisable: {type(value).__name__}')


def shell_line(words: Sequence[str], env: Optional[Dict[str, str]] = None) -> str:
    """A command as a user would type it (``--dry-run`` and ``results.json``)."""
    prefix = ' '.join(f'{k}={shlex.quote(v)}' for k, v in (env or {}).items())
    line = ' '.join(shlex.quote(str(w)) for w in words)
    return f'{prefix} {line}' if prefix else line
