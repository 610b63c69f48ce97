"""Each upstream breakage of the pinned stack, shown, and shown fixed by `import mmrot3d`."""
import pickle
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.runner.checkpoint import _load_checkpoint

from mmrot3d.utils.checkpoint import UntrustedCheckpointError, save_checkpoint_file


def run_python(code, **env):
    import os
    return subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})


def test_mmaction_models_imports_only_with_the_drn_stand_in():
    broken = run_python('import mmaction.models')
    assert broken.returncode != 0 and "No module named 'mmaction.models.localizers.drn'" in broken.stderr
    fixed = run_python('import mmrot3d, mmaction.models; from mmaction.registry import MODELS; '
                       'print(MODELS.get("Recognizer3D").__name__)')
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout.strip() == 'Recognizer3D'


def test_plain_state_dicts_load_weights_only(tmp_path):
    path = tmp_path / 'backbone.pth'
    torch.save({'conv.weight': torch.ones(2, 2)}, path)
    assert torch.equal(_load_checkpoint(str(path))['conv.weight'], torch.ones(2, 2))


def full_checkpoint():
    """What MMEngine writes: tensors plus pickled Python objects (numpy scalars, here)."""
    return {'meta': {'epoch': 3, 'best': np.float64(0.5)}, 'state_dict': {'w': torch.zeros(3)}}


def test_our_own_full_checkpoints_load_and_are_written_atomically(tmp_path, private_trust_store):
    path = tmp_path / 'epoch_3.pth'
    save_checkpoint_file(full_checkpoint(), path)
    assert [p.name for p in tmp_path.iterdir() if p.name != private_trust_store.name] == ['epoch_3.pth']
    assert _load_checkpoint(str(path))['meta']['epoch'] == 3


def test_full_checkpoints_from_elsewhere_are_refused(tmp_path):
    path = tmp_path / 'downloaded.pth'
    torch.save(full_checkpoint(), path)
    with pytest.raises(UntrustedCheckpointError, match=r'downloaded.pth: refusing to unpickle Python objects '
                                                        r'.*numpy.*tools/trust_checkpoint.py'):
        _load_checkpoint(str(path))


class WritesAFile:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (open, (self.target, 'w'))


def test_a_checkpoint_carrying_code_is_refused_and_its_code_never_runs(tmp_path):
    target = tmp_path / 'pwned.txt'
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {'w': torch.zeros(1)}, 'payload': WritesAFile(str(target))}, path)
    with pytest.raises(UntrustedCheckpointError, match='evil.pth: refusing to unpickle'):
        _load_checkpoint(str(path))
    assert not target.exists()
    torch.load(path, weights_only=False)  # what loading without the check would do
    assert target.exists()


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_torchrun_style_launch_trains_on_cpu_with_gloo():
    code = '''
import mmrot3d, torch
from mmengine.dist import init_dist, get_backend
from mmengine.model import MMDistributedDataParallel
init_dist('pytorch', backend='nccl')  # what MMAction2's default env_cfg asks for
model = MMDistributedDataParallel(module=torch.nn.Linear(2, 2), device_ids=[0])
model(torch.ones(1, 2)).sum().backward()
print(get_backend())
'''
    result = run_python(code, RANK='0', LOCAL_RANK='0', WORLD_SIZE='1', MASTER_ADDR='127.0.0.1',
                        MASTER_PORT=str(free_port()))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith('gloo')


def test_distutils_is_importable_where_python_has_none(tmp_path):
    # Python 3.12 without setuptools' .pth shim (packages on PYTHONPATH, site off): MMEngine's Runner
    # imports distutils on every run.
    import os
    import site
    from pathlib import Path
    hide = ('import importlib.abc, sys\n'
            'class NoDistutils(importlib.abc.MetaPathFinder):\n'
            '    def find_spec(self, name, path=None, target=None):\n'
            '        if name == "distutils":\n'
            '            raise ModuleNotFoundError(f"No module named {name!r}", name=name)\n'
            'sys.meta_path.insert(0, NoDistutils())\n')
    path = os.pathsep.join([str(Path(__file__).resolve().parents[2])] + site.getsitepackages())
    env = {**os.environ, 'PYTHONPATH': path}

    def run(code):
        return subprocess.run([sys.executable, '-S', '-c', hide + code], capture_output=True, text=True,
                              timeout=120, env=env)
    broken = run('from distutils import errors')
    assert broken.returncode != 0 and "No module named 'distutils'" in broken.stderr
    fixed = run('import mmrot3d\nfrom distutils import errors\nprint(errors.__name__)')
    assert fixed.returncode == 0, fixed.stderr[-2000:]
