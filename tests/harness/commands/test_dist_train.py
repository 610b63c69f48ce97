"""tools/dist_train.sh: two CPU processes (torchrun, gloo) train one model on disjoint data: the weights move, and
the same on both."""
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mmrot3d.engine import state_dict_sha256
from mmrot3d.utils.shipped_files import shipped_path

CONFIG = Path(__file__).resolve().parents[2] / 'data/configs/rotnet3d_tiny_audit.py'  # + TrainingAuditHook


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_two_gloo_processes_see_different_data_and_end_with_identical_weights(video_dir, tmp_path):
    work = tmp_path / 'work'
    # gloo on the CPU, also where there is a GPU: two ranks need two GPUs with NCCL
    env = dict(os.environ, PYTHON=sys.executable, PORT=str(free_port()), OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    run = subprocess.run([
        'bash',
        str(shipped_path('tools/dist_train.sh')),
        str(CONFIG), '2', '--work-dir',
        str(work), '--no-validate', '--seed', '0', '--cfg-options',
        f'train_dataloader.dataset.ann_file={video_dir / "list.txt"}',
        f'train_dataloader.dataset.data_prefix.video={video_dir}', 'train_cfg.max_epochs=1'
    ],
                         capture_output=True,
                         text=True,
                         timeout=300,
                         env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    ranks = [json.loads((work / 'audit' / f'rank{r}.json').read_text()) for r in (0, 1)]
    assert [r['world_size'] for r in ranks] == [2, 2]
    seen = [[name for batch in r['samples'] for name in batch] for r in ranks]
    assert len(ranks[0]['samples']) == len(ranks[1]['samples']) == 2  # 8 videos / 2 ranks / batch 2
    assert not set(seen[0]) & set(seen[1])  # different data on each rank ...
    assert sorted(seen[0] + seen[1]) == sorted(str(p) for p in video_dir.glob('clip_*.mp4'))  # ... all of it
    assert ranks[0]['initial_params_sha256'] == ranks[1]['initial_params_sha256']  # the same start ...
    assert ranks[0]['params_sha256'] != ranks[0]['initial_params_sha256']  # ... trained: the weights moved ...
    assert ranks[0]['state_dict_sha256'] == ranks[1]['state_dict_sha256']  # ... to identical weights at the end
    saved = torch.load(work / 'epoch_1.pth', weights_only=False)['state_dict']
    assert state_dict_sha256(saved) == ranks[0]['state_dict_sha256']  # and they are what was saved
