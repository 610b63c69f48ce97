"""What ``tools/train.py`` and ``tools/test.py`` leave in their work dir, as the benchmark reports it (the logs
are read by :mod:`mmrot3d_harness.run_logs`)."""
from pathlib import Path
from typing import Dict, List, Optional

from mmrot3d.models.backbone_io import resolve_checkpoint
from ..run_logs import launch_dirs, read_json_lines, training_scalars


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
    for launch in reversed(launch_dirs(work_dir)):
        path = launch / f'{launch.name}.json'
        if path.is_file():
            rows = [r for r in read_json_lines(path) if any('/' in k for k in r)]
            if rows:
                return {k: float(v) for k, v in rows[-1].items() if '/' in k}
    raise FileNotFoundError(f'{work_dir}: no test metrics (<timestamp>/<timestamp>.json) found')
