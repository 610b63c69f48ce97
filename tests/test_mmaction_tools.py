"""mmrot3d through MMAction2's own packaged tools, with nothing but custom_imports in the config."""
import json
import subprocess
import sys
from pathlib import Path

import mmaction
import pytest

CONFIG = Path(__file__).parent / 'data' / 'configs' / 'rotnet3d_tiny.py'
MMACTION_TRAIN = Path(mmaction.__file__).parent / '.mim' / 'tools' / 'train.py'


def train(video_dir, work_dir, *extra, max_epochs=1):
    data = [
        f'{split}_dataloader.dataset.{key}' for split in ('train', 'val') for key in ('ann_file', 'data_prefix.video')
    ]
    values = [video_dir / 'list.txt', video_dir] * 2
    options = [f'{k}={v}'
               for k, v in zip(data, values)] + [f'train_cfg.max_epochs={max_epochs}', 'train_cfg.val_interval=1']
    return subprocess.run([
        sys.executable,
        str(MMACTION_TRAIN),
        str(CONFIG), '--work-dir',
        str(work_dir), *extra, '--cfg-options', *options
    ],
                          capture_output=True,
                          text=True,
                          timeout=300)


def scalars(work_dir):
    (log, ) = work_dir.glob('*/vis_data/scalars.json')
    return [json.loads(line) for line in log.read_text().splitlines()]


@pytest.mark.slow
def test_packaged_train_tool_pretrains_validates_and_resumes(video_dir, tmp_path):
    first = train(video_dir, tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    assert (tmp_path / 'epoch_1.pth').is_file()
    rows = scalars(tmp_path)
    assert any('loss_rotation' in row for row in rows)
    (val, ) = [row for row in rows if 'rotation/top1' in row]
    assert 0.0 <= val['rotation/top1'] <= 1.0 and 'rotation/acc_270deg' in val

    # --resume reloads the full training state (optimizer, history) of our own checkpoint.
    second = train(video_dir, tmp_path, '--resume', max_epochs=2)
    assert second.returncode == 0, second.stderr[-3000:]
    assert 'resumed epoch: 1' in second.stdout + second.stderr
    assert (tmp_path / 'epoch_2.pth').is_file()
