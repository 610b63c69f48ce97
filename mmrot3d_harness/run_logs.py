"""The one reader of the logs MMEngine's runs write. Per launch of a run,
``<work_dir>/<timestamp>/vis_data/scalars.json`` holds one JSON object per logged step (training losses,
validation metrics) and, for a test, ``<work_dir>/<timestamp>/<timestamp>.json`` its metrics. A resumed run
has several timestamp folders; they are read in time order.
"""
import json
from pathlib import Path
from typing import Dict, List


def launch_dirs(work_dir: Path) -> List[Path]:
    return sorted(p for p in work_dir.iterdir() if p.is_dir() and p.name[:8].isdigit())


def read_json_lines(path: Path) -> List[Dict]:
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
    for launch in launch_dirs(work_dir):
        path = launch / 'vis_data' / 'scalars.json'
        if path.is_file():
            new = read_json_lines(path)
            if new and rows:
                first = new[0].get('step', 0)
                rows = [r for r in rows if r.get('step', 0) < first or 'loss' not in r]
            rows += new
    return rows


def validations(work_dir: Path) -> Dict[int, Dict[str, float]]:
    """The metrics of each validation of a training run, by the step they were logged at (the epoch, for an
    epoch-based run: the validation of exactly that epoch's checkpoint)."""
    found = {}
    for row in training_scalars(Path(work_dir)):
        metrics = {k: float(v) for k, v in row.items() if '/' in k}
        if metrics and 'step' in row:
            found[int(row['step'])] = metrics
    return found
