"""Reading what ``tools/train.py`` and ``tools/test.py`` leave in their work dir.

MMEngine writes, per launch, ``<work_dir>/<timestamp>/vis_data/scalars.json`` (training losses and
validation metrics, one JSON object per logged step) and, for a test, the metrics as the last line of
``<work_dir>/<timestamp>/<timestamp>.json``. A resumed job has several timestamp folders; they are read
in time order.
"""
import json
from pathlib import Path
from typing import Dict, List, Optional

from mmrot3d.models.backbone_io import resolve_checkpoint


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


def best_checkpoint(work_dir: Path, val_curve: List[List[float]]) -> Optional[str]:
    """The checkpoint MMEngine's ``CheckpointHook(save_best=...)`` kept at the best validation of
    ``val_curve`` (``[[step, score], ...]``, first of equals), if the run kept one."""
    if not val_curve:
        return None
    step = max(val_curve, key=lambda p: (p[1], -p[0]))[0]
    found = sorted(work_dir.glob(f'best_*_iter_{int(step)}.pth'))
    return str(found[0]) if found else None


def collect_training(work_dir: Path, monitor: str = 'acc/top1') -> Dict:
    """What a training job leaves: the checkpoint to evaluate (the best by validation when the run kept
    one -- a run that stops on a plateau -- else the last), the loss curve, the validation curve of
    ``monitor`` and the last validation metrics (``acc/top1``, ``rotation/top1``, ...)."""
    rows = training_scalars(work_dir)
    curve = [(r['iter'], r['loss']) for r in rows if 'loss' in r and 'iter' in r]
    val = [r for r in rows if any('/' in k for k in r)]
    val_curve = [[int(r['step']), round(float(r[monitor]), 5)] for r in val if monitor in r and 'step' in r]
    return dict(
        checkpoint=best_checkpoint(work_dir, val_curve) or resolve_checkpoint(str(work_dir)),
        last_step=max((i for i, _ in curve), default=0),
        loss_curve=dict(iter=[i for i, _ in curve], loss=[round(float(v), 5) for _, v in curve]),
        val_curve=val_curve,
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
