"""Each upstream breakage of the pinned stack, shown, and shown fixed by `import mmrot3d`; and each fix
checks for its breakage: where the breakage is absent, MMEngine and MMAction2 stay as they are."""
import importlib.util
import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.runner.checkpoint import _load_checkpoint

from mmrot3d.utils import upstream_fixes
from mmrot3d.utils.checkpoint import UntrustedCheckpointError, save_checkpoint_file


def run_python(code, **env):
    return subprocess.run([sys.executable, '-c', code],
                          capture_output=True,
                          text=True,
                          timeout=120,
                          env={
                              **os.environ,
                              **env
                          })


# What a fresh interpreter finds after `import mmrot3d`: which MMEngine functions are patched, what
# `import mmaction.models` gives then, and, when started as torchrun starts a rank, whether it trains.
FRESH_IMPORT = '''
import json
import os
import mmengine.dist.utils as dist_utils
from mmengine.model import MMDistributedDataParallel
from mmengine.runner import checkpoint, runner
import mmrot3d
found = dict(
    applied=mmrot3d.utils.upstream_fixes.apply_upstream_fixes(),
    loader=checkpoint.CheckpointLoader._schemes[''].__module__,
    save=runner.save_checkpoint is checkpoint.save_checkpoint,
    find_latest=runner.find_latest_checkpoint.__module__,
    init_dist=dist_utils._init_dist_pytorch.__module__,
    ddp=MMDistributedDataParallel.__init__.__module__)
import mmaction.models
from mmaction.registry import MODELS
found['recognizer3d'] = MODELS.get('Recognizer3D').__name__
if 'RANK' in os.environ:
    import torch
    from mmengine.dist import get_backend, init_dist
    init_dist('pytorch', backend='nccl')  # what MMAction2's default env_cfg asks for
    model = MMDistributedDataParallel(module=torch.nn.Linear(2, 2), device_ids=[0])
    model(torch.ones(1, 2)).sum().backward()
    found['backend'] = get_backend()
print(json.dumps(found))
'''


def fresh_import(**env):
    result = run_python(FRESH_IMPORT, **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='module')
def launched():
    """A fresh interpreter on this stack (torch 2.13 refuses full checkpoints, no CUDA), started as torchrun
    starts the only rank of a job; shared by the tests below (an interpreter start costs seconds)."""
    return fresh_import(RANK='0', LOCAL_RANK='0', WORLD_SIZE='1', MASTER_ADDR='127.0.0.1', MASTER_PORT=str(free_port()))


def test_mmaction_models_imports_only_with_the_drn_stand_in(launched):
    broken = run_python('import mmaction.models')
    assert broken.returncode != 0 and "No module named 'mmaction.models.localizers.drn'" in broken.stderr
    assert launched['recognizer3d'] == 'Recognizer3D'  # after import mmrot3d


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
    with pytest.raises(
            UntrustedCheckpointError,
            match=r'downloaded.pth: refusing to unpickle Python objects '
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


def test_torchrun_style_launch_trains_on_cpu_with_gloo(launched):
    assert launched['backend'] == 'gloo'


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
        return subprocess.run([sys.executable, '-S', '-c', hide + code],
                              capture_output=True,
                              text=True,
                              timeout=120,
                              env=env)

    broken = run('from distutils import errors')
    assert broken.returncode != 0 and "No module named 'distutils'" in broken.stderr
    fixed = run('import mmrot3d\nfrom distutils import errors\nprint(errors.__name__)')
    assert fixed.returncode == 0, fixed.stderr[-2000:]


# ---- each fix checks for its breakage ----------------------------------------------------------------


def test_every_breakage_of_this_stack_is_found():
    assert torch.__version__ >= '2.6' and not torch.cuda.is_available()  # the stack these tests run on
    assert sys.version_info < (3, 12) and importlib.util.find_spec('transformers') is None
    absent = {upstream_fixes.distutils_missing, upstream_fixes.transformers_5_breaks_multimodal}
    if not installed_editable():
        absent.add(upstream_fixes.editable_install_hides_configs)
    assert upstream_fixes.apply_upstream_fixes() == [
        fix.name for fix in upstream_fixes.FIXES if fix.present not in absent
    ]


def installed_editable() -> bool:
    import importlib.metadata
    direct_url = importlib.metadata.distribution('mmrot3d').read_text('direct_url.json') or '{}'
    return json.loads(direct_url).get('dir_info', {}).get('editable', False)


def test_the_editable_install_check_matches_how_mmrot3d_is_installed():
    assert upstream_fixes.editable_install_hides_configs() == installed_editable()


def test_the_transformers_check_is_true_only_for_transformers_5(monkeypatch):
    import importlib.metadata
    version = importlib.metadata.version
    for installed, broken in (('4.46.3', False), ('5.0.0', True), ('5.24.0', True)):
        monkeypatch.setattr(
            importlib.metadata, 'version', lambda name, v=installed: v if name == 'transformers' else version(name))
        monkeypatch.delitem(sys.modules, 'mmaction.models', raising=False)
        assert upstream_fixes.transformers_5_breaks_multimodal() is broken


def test_the_drn_check_is_false_for_a_wheel_that_ships_drn(tmp_path, monkeypatch):
    fake = tmp_path / 'mmaction'
    (fake / 'models' / 'localizers' / 'drn').mkdir(parents=True)
    (fake / 'models' / 'localizers' / '__init__.py').write_text('from .drn.drn import DRN\n')
    (fake / 'models' / 'localizers' / 'drn' / 'drn.py').write_text('class DRN: ...\n')
    spec, find_spec = importlib.machinery.ModuleSpec('mmaction', None, is_package=True), importlib.util.find_spec
    spec.submodule_search_locations.append(str(fake))
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name, *a: spec
                        if name == 'mmaction' else find_spec(name, *a))
    monkeypatch.delitem(sys.modules, 'mmaction.models.localizers.drn')
    assert not upstream_fixes.drn_module_missing()
    (fake / 'models' / 'localizers' / 'drn' / 'drn.py').unlink()
    assert upstream_fixes.drn_module_missing()


def test_the_checkpoint_check_is_false_when_torch_unpickles_by_default(monkeypatch):
    assert upstream_fixes.full_checkpoints_refused()
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')  # torch's own switch back to the old default
    assert not upstream_fixes.full_checkpoints_refused()


def test_the_distributed_check_is_false_with_cuda(monkeypatch):
    assert upstream_fixes.cpu_torch_breaks_distributed_launch()
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    assert not upstream_fixes.cpu_torch_breaks_distributed_launch()


def test_import_leaves_mmengine_checkpoint_loading_alone_where_torch_unpickles_by_default():
    found = fresh_import(TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD='1')  # torch's own switch back to the old default
    assert not any('checkpoint' in name for name in found['applied']), found['applied']
    assert found['loader'] == 'mmengine.runner.checkpoint'
    assert found['save'] and found['find_latest'] == 'mmengine.runner.checkpoint'


def test_import_patches_only_the_broken_parts_and_never_saving_or_resuming(launched):
    found = launched
    assert found['loader'] == 'mmrot3d.utils.upstream_fixes' and found['init_dist'] == 'mmrot3d.utils.upstream_fixes'
    assert found['ddp'] == 'mmrot3d.utils.upstream_fixes'
    assert found['save'] and found['find_latest'] == 'mmengine.runner.checkpoint'  # opt-in: SafeCheckpointRunner


def test_only_the_fixes_whose_breakage_is_present_are_applied(monkeypatch):
    applied = []
    fixes = [
        upstream_fixes.UpstreamFix(name, lambda present=present: present, lambda name=name: applied.append(name))
        for name, present in (('a', True), ('b', False), ('c', True))
    ]
    monkeypatch.setattr(upstream_fixes, 'FIXES', fixes)
    monkeypatch.setattr(upstream_fixes, '_applied', None)
    assert upstream_fixes.apply_upstream_fixes() == applied == ['a', 'c']
    assert upstream_fixes.apply_upstream_fixes() == ['a', 'c'] and applied == ['a', 'c']  # once per process
    assert upstream_fixes.applied_fixes_message() == 'mmrot3d: upstream fixes applied: a; c'
