"""performance/overhead.py alone (``python -m performance.overhead``): paired repeats of rotation vs
supervised steps, reported as per-repeat ratios. The real steps run; the clocks are the test's own, so that the
ratios have known answers (real timings are noise at this size)."""
import json
import time

import pytest

from performance import common
from performance.overhead import main

# Seconds each step takes on the test's clocks: (wall, CPU). In CPU time the rotation step in the model is twice as
# fast as the supervised one; on the wall clock it is slower: which clock decides shows.
COSTS = dict(supervised=(3.0, 2.0), rotation_in_model=(4.0, 1.0), rotation_in_pipeline=(6.0, 4.0))


@pytest.mark.slow
def test_overhead_reports_per_repeat_ratios(tmp_path, monkeypatch):
    clock = dict(wall=0.0, cpu=0.0)
    monkeypatch.setattr(time, 'perf_counter', lambda: clock['wall'])
    monkeypatch.setattr(time, 'process_time', lambda: clock['cpu'])
    real_step = common.train_step

    def timed_step(model, data, wrapper):
        real_step(model, data, wrapper)
        rotate_in_model = getattr(model, 'rotate_in_model', None)  # None: the supervised recognizer
        wall, cpu = COSTS['supervised' if rotate_in_model is
                          None else 'rotation_in_model' if rotate_in_model else 'rotation_in_pipeline']
        clock['wall'] += wall
        clock['cpu'] += cpu

    monkeypatch.setattr(common, 'train_step', timed_step)
    out = tmp_path / 'overhead.json'
    # in this process; --threads 0 leaves torch's thread count alone
    main(['--quick', '--backbones', 'R3D-18', 'R3D-18-narrow', '--threads', '0', '--json', str(out)])
    r3d18, row = json.loads(out.read_text())['overhead']['rows']
    assert r3d18['backbone'] == 'R3D-18' and r3d18['clips_per_step'] == 4
    assert r3d18['bar_met'] is True  # rotation / supervised throughput 2.0 in CPU time, bar 0.97
    assert r3d18['five_repeat_median_below_bar'] is None  # --quick: fewer than 5 repeats
    assert row['backbone'] == 'R3D-18-narrow' and row['clock'] == 'cpu'  # CPU time decides on a CPU
    assert row['clips_per_step'] == 8  # 2 clips x 4 rotations
    stats = row['ratio_in_model']
    assert stats['repeats'] == row['repeats'] == len(stats['ratios']) >= 2
    # throughput ratios: supervised seconds / rotation seconds of each repeat, in CPU time ...
    assert stats['ratios'] == [2.0] * row['repeats'] and stats['median'] == 2.0
    assert row['ratio_in_pipeline']['median'] == 0.5
    assert row['ratio_in_model_wall']['median'] == 0.75  # ... and on the wall clock beside it
    assert row['clips_per_s'] == pytest.approx(
        dict(supervised=8 / 3, rotation_in_model=8 / 4, rotation_in_pipeline=8 / 6))  # clips through the backbone
    assert stats['ci95'] is None and row['holds'] is False  # too few repeats for a 95 % interval
