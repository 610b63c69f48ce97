"""tools/audit_pretext.py on real video files: a rotation checkpoint's accuracy on every control, written as a
table, JSON, Markdown and a picture; a checkpoint without a rotation head, a list of unreadable videos or a
non-square crop stop it with one line."""
import json
from pathlib import Path

import pytest
import torch
from conftest import run_tool

from mmrot3d.apis import init_model

CONFIGS = Path(__file__).resolve().parents[2] / 'data' / 'configs'
ROTATION = str(CONFIGS / 'rotnet3d_tiny.py')  # narrow R3D-18, 8-frame 32x32 clips
AUDIT = 'tools/audit_pretext.py'


@pytest.fixture(scope='module')
def checkpoints(tmp_path_factory):
    root = tmp_path_factory.mktemp('audit')
    model, _ = init_model(ROTATION, seed=1)
    torch.save({'state_dict': model.state_dict()}, root / 'rotation.pth')
    torch.save(model.backbone.state_dict(), root / 'backbone.pth')
    return root


def test_every_control_is_measured_and_written_as_a_table_json_markdown_and_picture(video_dir, checkpoints, tmp_path):
    out = tmp_path / 'audit'
    run = run_tool(AUDIT, ROTATION, checkpoints / 'rotation.pth', video_dir / 'list.txt', '--data-root', video_dir,
                   '--out', out, '--bootstrap', 200)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads((out / 'audit.json').read_text())
    names = ['clips', 'static', 'shuffled', 'border only', 'centre only', 'layout only']  # no actor twins here
    assert list(found['controls']) == names and found['angles'] == [0, 90, 180, 270]
    for cell in found['controls'].values():
        assert cell['videos'] == 8 and 0 <= cell['ci95'][0] <= cell['top1'] <= cell['ci95'][1] <= 1
        assert set(cell['per_angle']) == {'0deg', '90deg', '180deg', '270deg'}
    assert (out / 'audit.png').stat().st_size > 10000 and '| static |' in (out / 'audit.md').read_text()
    assert 'control' in run.stdout and 'chance 25.0%' in run.stdout


@pytest.mark.parametrize('case, error', [
    ('backbone', 'holds no rotation head'),
    ('finetune', 'is not a RotationRecognizer'),
    ('unreadable', 'none of its 8 videos could be read'),
    ('not square', 'gives 32x24 frames; a clip turned by 90 degrees needs a square crop'),
])
def test_bad_input_stops_with_one_line(case, error, video_dir, checkpoints, tmp_path):
    config, checkpoint, root, extra = ROTATION, checkpoints / 'rotation.pth', video_dir, []
    if case == 'backbone':
        checkpoint = checkpoints / 'backbone.pth'
    elif case == 'finetune':
        config = str(CONFIGS / 'r3d18_finetune_tiny.py')
    elif case == 'unreadable':
        root = tmp_path / 'empty'
        (root / 'sub').mkdir(parents=True)
        for i in range(8):
            (root / f'clip_{i}.mp4').write_bytes(b'not a video')
    else:
        extra = ['--cfg-options', 'test_dataloader.dataset.pipeline.4.crop_size=(32,24)']
    run = run_tool(AUDIT, config, checkpoint, video_dir / 'list.txt', '--data-root', root, '--out', tmp_path / 'a',
                   *extra)
    assert run.returncode == 1, run.stdout[-2000:]
    assert run.stderr.strip().splitlines()[-1].startswith('error: ') and error in run.stderr, run.stderr[-2000:]
    assert 'Traceback' not in run.stderr
