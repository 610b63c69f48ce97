"""performance/overhead.py alone (``python -m performance.overhead``): paired repeats of rotation vs
supervised steps, reported as per-repeat ratios. Structure only; the timings are noise at this size."""
import json

from performance.overhead import main


def test_overhead_reports_per_repeat_ratios(tmp_path):
    out = tmp_path / 'overhead.json'
    # in this process; --threads 0 leaves torch's thread count alone
    main(['--quick', '--backbones', 'R3D-18', 'R3D-18-narrow', '--threads', '0', '--json', str(out)])
    r3d18, row = json.loads(out.read_text())['overhead']['rows']
    assert r3d18['backbone'] == 'R3D-18' and isinstance(r3d18['bar_met'], bool)
    assert r3d18['five_repeat_median_below_bar'] is None  # --quick: fewer than 5 repeats
    assert row['backbone'] == 'R3D-18-narrow' and row['clock'] == 'cpu'  # CPU time decides on a CPU
    stats = row['ratio_in_model']
    assert stats['repeats'] == row['repeats'] == len(stats['ratios']) >= 2
    assert stats['min'] <= stats['median'] <= stats['max']
    # one ratio per repeat, from that repeat's own supervised and rotation CPU seconds
    cpu = row['cpu_seconds']
    assert stats['ratios'] == [s / r for s, r in zip(cpu['supervised'], cpu['rotation_in_model'])]
    assert stats['ci95'] is None and row['holds'] is False  # too few repeats for a 95 % interval
    assert all(v > 0 for v in row['clips_per_s'].values())
