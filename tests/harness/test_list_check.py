"""tools/check_dataset.py --borders: the bars and overlays of every good video, their share of the list with
examples, and the file CropBorders reads them from."""
import json

import numpy as np
from conftest import run_tool

from mmrot3d_harness.video_io import write_video


def test_the_bars_of_a_list_are_measured_counted_named_and_written(tmp_path):
    rng = np.random.default_rng(0)
    base = np.kron(rng.integers(40, 256, (20, 40, 3), dtype=np.uint8), np.ones((4, 4, 1), np.uint8))
    lines = []
    for i, kind in enumerate(['letterbox', 'pillarbox', 'none', 'none']):
        frames = np.stack([base[:64, 4 * t:4 * t + 96] for t in range(16)])
        if kind == 'letterbox':
            frames[:, :8] = frames[:, -8:] = 0
        if kind == 'pillarbox':
            frames[:, :, :10] = frames[:, :, -10:] = 0
        write_video(tmp_path / f'v{i}.mp4', list(frames))
        lines.append(f'v{i}.mp4 0')
    (tmp_path / 'list.txt').write_text('\n'.join(lines) + '\n')
    run = run_tool('tools/check_dataset.py', tmp_path / 'list.txt', '--data-prefix', tmp_path, '--clip-len', 4,
                   '--borders', tmp_path / 'borders.json')
    assert run.returncode == 0, run.stderr[-2000:]
    assert f'bars: 2 of 4 videos (50.0%: 1 letterbox, 1 pillarbox, e.g. {tmp_path / "v0.mp4"}' in run.stdout
    assert f'every video in {tmp_path / "borders.json"}' in run.stdout and '[borders 4/4 videos |' in run.stderr
    found = json.loads((tmp_path / 'borders.json').read_text())
    assert found[str(tmp_path / 'v0.mp4')]['top'] > 0.1 and found[str(tmp_path / 'v1.mp4')]['left'] > 0.1
    assert not any(found[str(tmp_path / f'v{i}.mp4')][side] for i in (2, 3) for side in ('top', 'left'))
