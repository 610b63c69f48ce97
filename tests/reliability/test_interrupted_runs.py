"""SIGKILL a pretraining run mid-epoch and mid-checkpoint-write: --resume continues from the last complete
checkpoint and ends with exactly the weights of a run that was never interrupted."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mmrot3d.utils.atomic_io import find_latest_checkpoint
from mmrot3d.utils.checkpoint import load_checkpoint_file
from mmrot3d.utils.shipped_files import shipped_path

HERE = Path(__file__).parent
CONFIG = HERE.parent / 'data' / 'configs' / 'rotnet3d_tiny.py'


def command(video_dir, work_dir, *extra):
    options = [
        f'train_dataloader.dataset.ann_file={video_dir / "list.txt"}',
        f'train_dataloader.dataset.data_prefix.video={video_dir}',
        'train_cfg.max_epochs=2',
        'val_dataloader=None',
        'val_cfg=None',
        'val_evaluator=None',  # weights are compared, not scores
        # Deterministic data: one worker, re-created each epoch with the same seed (MMEngine seeds workers
        # with seed + worker id), so an epoch's augmentations do not depend on what ran before it.
        'train_dataloader.num_workers=1',
        'train_dataloader.persistent_workers=False',
    ]
    return [
        sys.executable,
        str(shipped_path('tools/train.py')),
        str(CONFIG), '--work-dir',
        str(work_dir), '--seed', '0', '--deterministic', *extra, '--cfg-options', *options
    ]


def start(video_dir, work_dir, *extra, pause=''):
    env = {
        **os.environ,
        'PYTHONPATH': os.pathsep.join([str(HERE), os.environ.get('PYTHONPATH', '')]),
        'MMROT3D_PAUSE': pause,
        # on the CPU, also where there is a GPU: bit-identical weights are a CPU property (cuDNN's backward
        # passes are not deterministic, and --deterministic on CUDA refuses ops without a deterministic kernel)
        'CUDA_VISIBLE_DEVICES': ''
    }
    return subprocess.Popen(
        command(video_dir, work_dir, *extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def kill_when_paused(proc):
    """SIGKILL the run at its pause point (no clean-up code of any kind runs)."""
    output = []
    for line in proc.stdout:
        output.append(line)
        if line.strip() == 'PAUSED':
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, ''.join(output)[-3000:]
    return ''.join(output)


def finish(proc):
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out[-3000:]
    return out


def weights(path):
    return load_checkpoint_file(path)['state_dict']


@pytest.mark.slow
def test_sigkill_mid_epoch_and_mid_save_then_resume_ends_with_the_uninterrupted_weights(video_dir, tmp_path):
    reference, interrupted = tmp_path / 'reference', tmp_path / 'interrupted'
    uninterrupted = start(video_dir, reference)  # runs alongside the interrupted one

    # Kill 1: mid-epoch (after iteration 1 of 2 of epoch 2); epoch_1.pth is the last complete checkpoint.
    kill_when_paused(start(video_dir, interrupted, pause='iter:2:1'))
    assert sorted(p.name for p in interrupted.glob('*.pth')) == ['epoch_1.pth']

    # Kill 2: resume, and kill again while epoch_2.pth is half written.
    kill_when_paused(start(video_dir, interrupted, '--resume', pause='save:epoch_2.pth'))
    assert not (interrupted / 'epoch_2.pth').exists()  # never half-written under its final name
    partial = list(interrupted.glob('.epoch_2.pth.*.tmp'))
    assert len(partial) == 1 and partial[0].stat().st_size > 0  # the torn write is in its temp file
    assert find_latest_checkpoint(str(interrupted)) == str(interrupted / 'epoch_1.pth')

    out = finish(start(video_dir, interrupted, '--resume'))
    assert 'resumed epoch: 1' in out
    finish(uninterrupted)
    ours, theirs = weights(interrupted / 'epoch_2.pth'), weights(reference / 'epoch_2.pth')
    assert ours.keys() == theirs.keys()
    # CPU, one thread order, same data order and augmentations: bit-identical, no tolerance needed.
    different = [k for k in ours if not torch.equal(ours[k], theirs[k])]
    assert not different, different[:5]


def test_resume_survives_a_torn_last_checkpoint_pointer(tmp_path):
    for epoch in (1, 2):
        torch.save({'state_dict': {}}, tmp_path / f'epoch_{epoch}.pth')
    os.utime(tmp_path / 'epoch_1.pth', (1, 1))
    pointer = tmp_path / 'last_checkpoint'
    for torn in ('', str(tmp_path / 'epoch_')):  # killed after truncation / halfway through the path
        pointer.write_text(torn)
        assert find_latest_checkpoint(str(tmp_path)) == str(tmp_path / 'epoch_2.pth')
    pointer.unlink()  # never written: MMEngine would start from scratch; the checkpoints are still there
    assert find_latest_checkpoint(str(tmp_path)) == str(tmp_path / 'epoch_2.pth')
    pointer.write_text(str(tmp_path / 'epoch_1.pth'))  # a good pointer is followed
    assert find_latest_checkpoint(str(tmp_path)) == str(tmp_path / 'epoch_1.pth')
