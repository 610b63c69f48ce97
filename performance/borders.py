"""What guarding pretraining against letterbox bars and logos costs on the CPU (``CropBorders``).

The Kinetics recipe's training pipeline (``configs/_base_/datasets/kinetics400_rotation.py``) on 340x256 videos
with letterbox bars, timed per sample three ways, interleaved in this process:

* ``recipe``: the pipeline as it is (the baseline);
* ``guard, listed``: ``CropBorders`` after the decoding, its bars read from the file ``tools/check_dataset.py
  --borders`` writes: what a run costs once the list has been checked;
* ``guard, measured``: ``CropBorders`` detecting every video's bars afresh (8 frames decoded per video): what a
  video costs the first time a loader worker meets it without that file.

    .venv/bin/python -m performance.run --only borders
"""
import json
import statistics
import tempfile
from pathlib import Path
from typing import Dict

import numpy as np

from . import timing

SIZE, BAR = (340, 256), 32  # 2.35:1 in 4:3 would be larger; a Kinetics letterbox of 32 rows at 256


def _letterboxed_videos(root: Path, count: int, frames: int = 64) -> Path:
    from mmrot3d_harness.video_io import write_video
    width, height = SIZE
    lines = []
    for i in range(count):
        rng = np.random.default_rng(i)
        base = np.kron(
            rng.integers(0, 256, (height // 8 + 3, width // 8 + 3, 3), dtype=np.uint8), np.ones((8, 8, 1), np.uint8))
        clip = np.stack([base[t % 16:t % 16 + height, t // 2 % 16:t // 2 % 16 + width] for t in range(frames)])
        clip[:, :BAR] = 0
        clip[:, height - BAR:] = 0
        write_video(root / f'v{i}.mp4', clip)
        lines.append(f'v{i}.mp4 {i % 2}')
    (root / 'list.txt').write_text('\n'.join(lines) + '\n')
    return root / 'list.txt'


def measure(args) -> Dict:
    from mmengine.dataset import Compose

    from mmrot3d.datasets.checks import video_borders
    from .common import recipe_pipeline
    count = 4 if args.quick else 12
    repeats = args.repeats or (3 if args.quick else 7)
    root = Path(tempfile.mkdtemp(prefix='mmrot3d_borders_'))
    listed = _letterboxed_videos(root, count)
    videos = [str(root / line.split()[0]) for line in listed.read_text().split('\n') if line]
    bars_file = root / 'borders.json'
    bars_file.write_text(json.dumps({v: video_borders(v).to_dict() for v in videos}))
    recipe = recipe_pipeline()
    guarded = recipe[:3] + [dict(type='CropBorders', bars_file=str(bars_file))] + recipe[3:]
    fresh = recipe[:3] + [dict(type='CropBorders')] + recipe[3:]
    pipelines = {'recipe': Compose(recipe), 'guard, listed': Compose(guarded)}

    def one_pass(pipeline) -> None:
        for video in videos:
            pipeline(dict(filename=video, label=0, start_index=0, modality='RGB'))

    def fresh_pass() -> None:  # a new transform, as a worker that meets every video for the first time
        one_pass(Compose(fresh))

    variants = {name: (lambda p=p: one_pass(p)) for name, p in pipelines.items()}
    variants['guard, measured'] = fresh_pass
    times = timing.interleave(variants, repeats, label='borders')
    base = statistics.median(times['recipe'])
    rows = [
        dict(
            variant=name,
            ms_per_sample=round(1000 * statistics.median(t) / count, 2),
            ratio=round(statistics.median(t) / base, 3)) for name, t in times.items()
    ]
    timing.print_table(
        f'CropBorders on {count} letterboxed {SIZE[0]}x{SIZE[1]} videos, the Kinetics recipe '
        f'(median of {repeats} interleaved rounds; ratio against the recipe)', rows,
        ['variant', 'ms_per_sample', 'ratio'])
    found = video_borders(videos[0])
    return dict(videos=count, size=list(SIZE), bar_rows=BAR, repeats=repeats, rows=rows, detected=found.to_dict())
