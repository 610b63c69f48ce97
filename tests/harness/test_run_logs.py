"""The one reader of MMEngine's run logs: every launch in time order, a resumed launch replacing what it redid."""
import json

from mmrot3d_harness.run_logs import training_scalars, validations


def launch(work, stamp, rows):
    folder = work / stamp / 'vis_data'
    folder.mkdir(parents=True)
    (folder / 'scalars.json').write_text(''.join(json.dumps(r) + '\n' for r in rows) + '{"cut by a ki')


def test_a_resumed_run_reads_as_one_and_its_validations_by_step(tmp_path):
    launch(tmp_path, '20261207_080000',
           [dict(step=1, loss=2.0),
            dict(step=2, loss=1.9),
            dict(step=1, **{'a/b': 0.1}),
            dict(step=3, loss=1.8)])
    launch(tmp_path, '20261207_090000', [dict(step=3, loss=1.7), dict(step=2, **{'a/b': 0.3})])
    assert [r.get('loss') for r in training_scalars(tmp_path)] == [2.0, 1.9, None, 1.7, None]
    assert validations(tmp_path) == {1: {'a/b': 0.1}, 2: {'a/b': 0.3}}
