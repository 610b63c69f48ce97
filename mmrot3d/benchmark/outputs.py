"""Reading what ``tools/train.py`` and ``tools/test.py`` leave in their work dir.

MMEngine writes, per launch, ``<work_dir>/<timestamp>/vis_data/scalars.json`` (training losses and
validation metrics, one JSON object per logged step) and, for a test, the metrics as the last line of
``<work_dir>/<timestamp>/<timestamp>.json``. A resumed job has several timestamp folders; they are read
in time order.
"""
import json
from pathlib import Path
from typing import Dict, List

from ..models.backbone_io import resolve_checkpoint


def _launch_dirs(work_dir: Path) -> List[Path]:
    return sorted(p for p in work_dir.iterdir() if p.is_dir() and p.name[:8].isdigit())


def _json_lines(path: Path) -> List[Dict]:
    rows = []
    for line in path.read_text().splitlines():
        try:
            rows.append(json.loads(line))
        except ValueError:  # a line cut by a kill
            continue
    return rows


def training_scalars(work_dir: Path) -> List[Dict]:
    """Every logged row of every launch of a training job, oldest first (rows of a launch that was
    resumed from an earlier step replace the rows past that step)."""
    rows: List[Dict] = []
    for launch in _launch_dirs(work_dir):
        path = launch / 'vis_data' / 'scalars.json'
        if path.is_file():
            new = _json_lines(path)
            if new and rows:
                first = new[0].get('step', 0)
                rows = [r for r in rows if r.get('step', 0) < first or 'loss' not in r]
            rows += new
    return rows


def collect_training(work_dir: Path) -> Dict:
    """The final checkpoint, the loss curve and the last validation metrics (``acc/top1``,
    ``rotation/top1``, ...) of a training job."""
    rows = training_scalars(work_dir)
    curve = [(r['iter'], r['loss']) for r in rows if 'loss' in r and 'iter' in r]
    val = [r for r in rows if any('/' in k for k in r)]
    return dict(
        checkpoint=resolve_checkpoint(str(work_dir)),
        loss_curve=dict(iter=[i for i, _ in curve], loss=[round(float(v), 5) for _, v in curve]),
        val={
            k: float(v)
            for k, v in (val[-1] if val else {}).items() if '/' in k
        })


def collect_test(work_dir: Path) -> Dict:
    """The metrics of the newest finished ``tools/test.py`` launch in ``work_dir``."""
    for launch in reversed(_launch_dirs(work_dir)):
        path = launch / f'{launch.name}.json'
        if path.is_file():
            rows = [r for r in _json_lines(path) if any('/' in k for k in r)]
            if rows:
                return {k: float(v) for k, v in rows[-1].items() if '/' in k}
    raise FileNotFoundError(f'{work_dir}: no test metrics (<timestamp>/<timestamp>.json) found')
