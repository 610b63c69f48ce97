"""mmrot3d through MMAction2's own packaged tools, with nothing but custom_imports in the config."""
import json
import subprocess
import sys
from pathlib import Path

import mmaction
import numpy as np
import pytest
import torch

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

    # --resume reloads the full training state of our own checkpoint: the loop's counters, the optimizer and
    # the logged history, which epoch 2 extends rather than restarts. The optimizer's learning rate tells: the
    # schedule decays it x0.1 after epoch 1 (0.01 -> 0.001) in the optimizer's state, and a fresh optimizer
    # would train epoch 2 at 0.01 (torch loads an optimizer's learning rate with its momentum buffers).
    second = train(video_dir, tmp_path, '--resume', max_epochs=2)
    assert second.returncode == 0, second.stderr[-3000:]
    assert 'resumed epoch: 1' in second.stdout + second.stderr
    first_state, second_state = (
        torch.load(tmp_path / f'epoch_{e}.pth', map_location='cpu', weights_only=False) for e in (1, 2))
    iters = first_state['meta']['iter']  # one epoch of 8 videos in batches of 4
    assert iters == 2 and (second_state['meta']['epoch'], second_state['meta']['iter']) == (2, 2 * iters)
    epoch2 = [row for row in scalars_of(tmp_path, second) if 'loss_rotation' in row]
    assert [row['epoch'] for row in epoch2] == [2] * iters
    assert all(row['lr'] == pytest.approx(0.001) for row in epoch2)  # the resumed optimizer's, not a fresh 0.01
    groups = second_state['optimizer']['param_groups']
    assert all(g['lr'] == pytest.approx(0.001) for g in groups)
    losses = [history(state, 'train/loss_rotation') for state in (first_state, second_state)]
    assert len(losses[0]) == iters and len(losses[1]) == 2 * iters
    assert losses[1][:iters] == losses[0]  # epoch 1's history carried over, epoch 2's appended
    # MMEngine logs the loss averaged over the last 10 iterations: epoch 2's log lines average epoch 1's too.
    logged = [row['loss_rotation'] for row in epoch2]
    assert logged == pytest.approx([np.mean(losses[1][:iters + i + 1]) for i in range(iters)], abs=1e-6)


def scalars_of(work_dir, run):
    """The rows of the scalars.json of the run whose output names its log folder."""
    for path in work_dir.glob('*/vis_data/scalars.json'):
        if path.parent.parent.name in run.stdout + run.stderr:
            return [json.loads(line) for line in path.read_text().splitlines()]
    raise AssertionError(f'no scalars.json of this run in {work_dir}')


def history(checkpoint, key):
    """The values MMEngine's message hub logged under ``key``, as saved in a checkpoint."""
    values, _ = checkpoint['message_hub']['log_scalars'][key].data
    return [float(v) for v in values]
