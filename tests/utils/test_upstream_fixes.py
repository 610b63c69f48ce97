"""Each upstream breakage ``mmrot3d/utils/upstream_fixes.py`` fixes: its check finds it exactly where it is, the
step that owns the fix fixes it where it is present, and MMEngine and MMAction2 are left alone where it is absent
and before that step (``import mmrot3d``: ``ON_IMPORT``; a ``SafeCheckpointRunner``: ``FOR_RUNS``; our tools'
first call: ``FOR_TOOLS``). Fresh interpreters observe the breakages as this machine has them (``probe``),
produce them where they can (``launched``: CUDA hidden, a stand-in transformers 5, no ``distutils``, mmrot3d's
install record away from the package) and remove them where they can (``unbroken``); a breakage that can be
neither observed nor produced here is skipped with the reason. What the fresh interpreters run:
``tests/utils/upstream_probes.py``.
"""
import importlib.metadata
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import types
from pathlib import Path

import pytest
import torch

from mmrot3d.utils import upstream_fixes
from mmrot3d.utils.shipped_files import shipped_path

REPO = Path(__file__).resolve().parents[2]
ALL_FIXES = upstream_fixes.ON_IMPORT + upstream_fixes.FOR_TOOLS
FIX = {fix.present.__name__: fix.name for fix in ALL_FIXES}  # check function -> the name a log shows


def run_probe(what, env, flags=()):
    """``tests/utils/upstream_probes.py WHAT`` in a fresh interpreter started from the repository root: its JSON."""
    options = dict(capture_output=True, text=True, timeout=600, cwd=REPO, env=env)
    result = subprocess.run([sys.executable, *flags,
                             str(Path(__file__).with_name('upstream_probes.py')), what], **options)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def rank_zero(**changes):
    """The environment torchrun gives the only rank of a job, with ``changes``; torch's weights-only switches
    removed unless given."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith('TORCH_FORCE_')}
    env.update(RANK='0', LOCAL_RANK='0', WORLD_SIZE='1', MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port), **changes)
    return env


def search_path(*first):
    """``first``, then every folder this interpreter imports from (for one started with ``-S``)."""
    return os.pathsep.join([str(p) for p in first] + [p for p in sys.path if p and os.path.isdir(p)])


# A stand-in for transformers 5: its modeling_utils lacks what 5.0 removed, and what else VindLU imports.
FAKE_TRANSFORMERS_5 = {'__init__.py': "__version__ = '5.0.0'\n", 'modeling_utils.py': 'PreTrainedModel = object\n'}


def write_record(folder: Path, name: str, version: str) -> Path:
    """An install record (``.dist-info``) for ``name`` in ``folder``, as pip writes one."""
    record = folder / f'{name}-{version}.dist-info'
    record.mkdir(parents=True)
    (record / 'METADATA').write_text(f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n')
    return folder


@pytest.fixture(scope='module')
def config_file(tmp_path_factory) -> Path:
    """A user's config inheriting ours through ``mmrot3d::`` (and MMAction2's, through ``mmaction::``)."""
    shipped_path('configs/_base_/default_runtime.py')  # else one clear error: the package is not installed
    path = tmp_path_factory.mktemp('user') / 'user_config.py'
    path.write_text("_base_ = ['mmrot3d::_base_/default_runtime.py']\n")
    return path


@pytest.fixture(scope='module')
def probe():
    return run_probe('probe', rank_zero())


@pytest.fixture(scope='module')
def transformers_5(tmp_path_factory) -> str:
    """A folder to put first on ``PYTHONPATH``: the stand-in transformers 5 (an installed 5 or later is used)."""
    folder = tmp_path_factory.mktemp('transformers5')
    try:
        if int(importlib.metadata.version('transformers').split('.')[0]) >= 5:
            return str(folder)
    except importlib.metadata.PackageNotFoundError:
        pass
    write_record(folder, 'transformers', '5.0.0')
    (folder / 'transformers').mkdir()
    for name, text in FAKE_TRANSFORMERS_5.items():
        (folder / 'transformers' / name).write_text(text)
    return str(folder)


@pytest.fixture(scope='module')
def broken(transformers_5):
    return run_probe('broken', rank_zero(CUDA_VISIBLE_DEVICES='', PYTHONPATH=search_path(transformers_5)))


@pytest.fixture(scope='module')
def launched(tmp_path_factory, transformers_5, config_file):
    """Every breakage that can be produced: CUDA hidden, transformers 5, no ``distutils`` (``-S`` and a finder
    that refuses it), an install record of mmrot3d not beside the imported package (an editable install's)."""
    path = search_path(write_record(tmp_path_factory.mktemp('record'), 'mmrot3d', '0.1.0'), transformers_5, REPO)
    env = rank_zero(
        CUDA_VISIBLE_DEVICES='', MMROT3D_TEST_CONFIG=str(config_file), PYTHONPATH=path, MMROT3D_TEST_HIDE_DISTUTILS='1')
    return run_probe('launch', env, flags=('-S', ))


@pytest.fixture(scope='module')
def unbroken(tmp_path_factory, config_file):
    """Torch switched back to unpickling by default, mmrot3d installed as a regular package (record beside it)."""
    site = write_record(tmp_path_factory.mktemp('site'), 'mmrot3d', '0.1.0')
    (site / 'mmrot3d').symlink_to(upstream_fixes.MMROT3D_DIR, target_is_directory=True)
    path = os.pathsep.join(p for p in [str(site), os.environ.get('PYTHONPATH')] if p)
    env = rank_zero(TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD='1', MMROT3D_TEST_CONFIG=str(config_file), PYTHONPATH=path)
    return run_probe('launch', env)


BREAKAGES = ['pkg_resources', 'distutils', 'checkpoints', 'editable', 'distributed', 'multimodal', 'drn']


@pytest.mark.parametrize('breakage', BREAKAGES)
def test_each_check_finds_its_breakage_exactly_where_it_is(probe, breakage):
    if probe[breakage]['broken'] is None:
        pytest.skip(f'{breakage}: cannot be observed here: {probe[breakage]["why"]}')
    assert probe[breakage]['check'] is probe[breakage]['broken'], probe[breakage]


# what MMEngine has unpatched, and which of those parts each fix patches
MMENGINE_PARTS = dict(
    loader='mmengine.runner.checkpoint',
    init_dist='mmengine.dist.utils',
    save=True,
    quiet=False,
    ddp='mmengine.model.wrappers.distributed',
    lookup='mmengine.utils.package_utils',
    find_latest='mmengine.runner.checkpoint')
PARTS = dict(
    full_checkpoints_refused=['loader'],
    cpu_torch_breaks_distributed_launch=['init_dist', 'ddp'],
    editable_install_hides_configs=['lookup'],
    setuptools_deprecates_pkg_resources=['quiet'])


def names(fixes):
    return {fix.name for fix in fixes}


def changed(found, step, check):
    """Whether the parts ``check``'s fix patches differ from MMEngine's after ``step``."""
    return [found[f'after_{step}'][part] != MMENGINE_PARTS[part] for part in PARTS.get(check, [])]


@pytest.mark.parametrize('where', ['launched', 'unbroken'])
@pytest.mark.parametrize('step,fixes', [('import', upstream_fixes.ON_IMPORT), ('runner', upstream_fixes.FOR_RUNS),
                                        ('tools', upstream_fixes.FOR_TOOLS[len(upstream_fixes.FOR_RUNS):])])
def test_each_step_applies_only_its_fixes_and_patches_exactly_what_they_fix(where, step, fixes, request):
    found = request.getfixturevalue(where)
    before = {'import': [], 'runner': found['on_import'], 'tools': found['on_runner']}[step]
    added = set(found[f'on_{step}']) - set(before)
    assert added <= names(fixes), added
    for check, name in FIX.items():
        applied = name in found[f'on_{step}']  # by this step or before it
        assert all(c == applied for c in changed(found, step, check)), (check, found[f'after_{step}'])
    assert found[f'after_{step}']['save'] and found[f'after_{step}']['find_latest'] == 'mmengine.runner.checkpoint'
    assert sum(map(len, (upstream_fixes.ON_IMPORT, upstream_fixes.FOR_TOOLS))) == len(names(ALL_FIXES))


def test_mmaction_models_imports_with_the_drn_stand_in(probe, launched):
    if not probe['drn']['broken']:
        pytest.skip('this mmaction2 ships models/localizers/drn: nothing to stand in for')
    assert 'mmaction.models.localizers.drn' in probe['drn']['why']
    assert FIX['drn_module_missing'] in launched['on_import'] and launched['recognizer3d'] == 'Recognizer3D'


def test_transformers_5_breaks_mmaction_models_and_only_vindlu_is_skipped(broken, launched):
    assert broken['multimodal'] is True
    assert 'mmaction/models/multimodal/vindlu' in broken['import'], broken['import']  # VindLU's import fails
    assert FIX['multimodal_imports_missing'] in launched['on_import'] and launched['recognizer3d'] == 'Recognizer3D'
    assert launched['vindlu'].startswith('ImportError: VindLU') and 'requires extra multi-modal' in launched['vindlu']


def test_distutils_is_importable_where_python_has_none(launched):
    assert "No module named 'distutils'" in launched['distutils_before']
    assert FIX['distutils_missing'] in launched['on_import'] and launched['distutils'] == 'distutils.errors'


def test_torchrun_without_cuda_trains_with_gloo(broken, launched):
    assert broken['distributed']['broken'] and broken['distributed']['check'], broken['distributed']
    assert FIX['cpu_torch_breaks_distributed_launch'] in set(launched['on_runner']) - set(launched['on_import'])
    assert (launched['cuda'], launched['backend'], launched['wrapper']) == (False, 'gloo', 'MMDistributedDataParallel')


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA: MMEngine NCCL path with a GPU')
def test_with_cuda_torchrun_is_mmengine_nccl_path(unbroken):
    assert FIX['cpu_torch_breaks_distributed_launch'] not in unbroken['on_tools']
    assert unbroken['cuda'] is True and unbroken['backend'] == 'nccl'


def test_a_users_script_reads_our_configs_after_import_mmrot3d_wherever_it_is_installed(launched, unbroken):
    assert FIX['editable_install_hides_configs'] in launched['on_import']
    assert launched['config'] == launched['get_config'] == 'SafeCheckpointRunner'  # default_runtime.py, mmrot3d::
    assert launched['config_by_mmengine'] != 'SafeCheckpointRunner'  # MMEngine's own lookup misses it
    assert FIX['editable_install_hides_configs'] not in unbroken['on_tools'] and unbroken[
        'config'] == 'SafeCheckpointRunner'


def test_pkg_resources_warning_is_silenced_by_our_tools(probe, launched):
    if not probe['pkg_resources']['broken']:
        pytest.skip(f'importing pkg_resources does not warn here {probe["pkg_resources"]["why"]}')
    assert FIX['setuptools_deprecates_pkg_resources'] in set(launched['on_tools']) - set(launched['on_runner'])
    assert not [w for w in launched['config_warnings'] if 'pkg_resources is deprecated' in w]


def test_full_checkpoints_load_through_the_trust_check_once_a_runner_is_built(probe, launched, unbroken):
    if not probe['checkpoints']['broken']:
        pytest.skip('torch here unpickles full checkpoints by default: nothing to fix')
    assert FIX['full_checkpoints_refused'] in set(launched['on_runner']) - set(launched['on_import'])
    assert FIX['full_checkpoints_refused'] not in unbroken['on_tools']


# ---- each check on its own, in every condition it tells apart --------------------------------------------


class ModelingUtils(types.ModuleType):
    """``transformers.modeling_utils`` with every name but ``removed``."""

    def __init__(self, removed):
        super().__init__('transformers.modeling_utils')
        self.removed = removed

    def __getattr__(self, name):
        if name in self.removed or name.startswith('__'):
            raise AttributeError(name)
        return object()


def test_the_multimodal_check_looks_for_what_mmaction2s_models_import(monkeypatch):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, 'find_spec', lambda n, *a: find_spec(n, *a) if n != 'transformers' else 1)
    monkeypatch.delitem(sys.modules, 'mmaction.models', raising=False)
    for removed in (set(), {'apply_chunking_to_forward'}):  # transformers 4.x, 5
        monkeypatch.setitem(sys.modules, 'transformers.modeling_utils', ModelingUtils(removed))
        assert upstream_fixes.multimodal_imports_missing() is bool(removed), removed
    monkeypatch.setitem(sys.modules, 'mmaction.models', types.ModuleType('mmaction.models'))
    assert not upstream_fixes.multimodal_imports_missing()  # too late: the models are imported


def test_the_drn_check_is_false_where_the_module_is_found(tmp_path, monkeypatch):
    import mmaction
    drn = tmp_path / 'mmaction' / 'models' / 'localizers' / 'drn'
    monkeypatch.setattr(mmaction, '__path__', [str(tmp_path / 'mmaction')])
    monkeypatch.delitem(sys.modules, 'mmaction.models.localizers.drn', raising=False)
    # a source checkout (a namespace package), a wheel that ships it, the 1.2.0 wheel, a later one, before DRN
    for version, files, missing in (('1.2.0', {}, False), ('1.2.0', {
            '__init__.py': '',
            'drn.py': ''
    }, False), ('1.2.0', None, True), ('1.3.0', None, True), ('1.1.0', None, False)):
        shutil.rmtree(drn, ignore_errors=True)
        if files is not None:
            drn.mkdir(parents=True)
            for name, text in files.items():
                (drn / name).write_text(text)
        monkeypatch.setattr(mmaction, '__version__', version)
        assert upstream_fixes.drn_module_missing() is missing, (version, files)
    monkeypatch.setitem(sys.modules, 'mmaction.models.localizers.drn', types.ModuleType('drn'))
    assert not upstream_fixes.drn_module_missing()  # the stand-in, or the real module, is imported


def test_the_distributed_check_is_true_only_without_cuda_on_mmengine_releases_so_far(monkeypatch):
    import mmengine
    for cuda, version, broken in ((False, '0.10.7', True), (False, '0.8.4', True), (True, '0.10.7', False),
                                  (False, '0.11.0', False)):  # a later release: MMEngine's own path, untouched
        monkeypatch.setattr(torch.cuda, 'is_available', lambda c=cuda: c)
        monkeypatch.setattr(mmengine, '__version__', version)
        assert upstream_fixes.cpu_torch_breaks_distributed_launch() is broken, (cuda, version)


def test_the_setuptools_check_is_true_from_67_5(monkeypatch):
    version = importlib.metadata.version
    for installed, warns in (('67.4.0', False), ('67.5.0', True), ('80.10.2', True), ('not.a.version', False)):
        monkeypatch.setattr(
            importlib.metadata, 'version', lambda n, v=installed: v if n == 'setuptools' else version(n))
        assert upstream_fixes.setuptools_deprecates_pkg_resources() is warns, installed


def test_only_the_fixes_whose_breakage_is_present_are_applied_each_once(monkeypatch):
    applied, checked = [], []

    def fix(name, present):
        return upstream_fixes.UpstreamFix(name, lambda: checked.append(name) or present, lambda: applied.append(name))

    first, second = [fix('a', True), fix('b', False)], [fix('a', True), fix('c', True)]
    monkeypatch.setattr(upstream_fixes, '_checked', {})
    assert upstream_fixes.apply_fixes(first) == applied == ['a']
    assert upstream_fixes.apply_fixes(second) == applied == ['a', 'c'] and checked == ['a', 'b', 'c']  # a: once
    assert upstream_fixes.apply_fixes(first + second) == ['a', 'c'] and checked == ['a', 'b', 'c']
    assert upstream_fixes.applied_fixes_message() == 'mmrot3d: upstream fixes applied: a; c'
