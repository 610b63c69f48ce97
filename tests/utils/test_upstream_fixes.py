"""Each upstream breakage ``mmrot3d/utils/upstream_fixes.py`` fixes: its check finds it exactly where it is, the
step that owns the fix fixes it where it is present, and MMEngine and MMAction2 are left alone where it is absent
and before that step: ``import mmrot3d`` applies only ``ON_IMPORT``, building a ``SafeCheckpointRunner`` (what
our configs' ``runner_type`` does) adds ``FOR_RUNS``, our tools' first call adds ``FOR_TOOLS``.

Nothing here assumes which breakages this machine has. Fresh interpreters observe them as they are
(``probe``), and produce them where a controlled environment can: CUDA hidden, a stand-in transformers 5,
``distutils`` hidden, mmrot3d's install record away from the package (``launched``, where the three steps then
have to fix all of them), and absent where it can: torch's switch back to unpickling by default, a regular
install (``unbroken``). A breakage that can neither be observed nor produced here is skipped with the reason.
"""
import importlib.machinery
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

import numpy as np
import pytest
import torch
from mmengine.runner.checkpoint import _load_checkpoint

from mmrot3d.utils import upstream_fixes
from mmrot3d.utils.checkpoint import UntrustedCheckpointError, save_checkpoint_file
from mmrot3d.utils.shipped_files import shipped_path

REPO = Path(__file__).resolve().parents[2]
ALL_FIXES = upstream_fixes.ON_IMPORT + upstream_fixes.FOR_TOOLS
FIX = {fix.present.__name__: fix.name for fix in ALL_FIXES}  # check function -> the name a log shows


def run_python(code, env=None, flags=()):
    """``code`` in a fresh interpreter started from the repository root; its last stdout line as JSON."""
    result = subprocess.run([sys.executable, *flags, '-c', code],
                            capture_output=True,
                            text=True,
                            timeout=600,
                            cwd=REPO,
                            env=env or dict(os.environ))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def environment(**changes):
    """This process's environment with ``changes`` (``None`` removes a variable); torch's weights-only
    switches are removed unless given, so that only what a test sets decides them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('TORCH_FORCE_')}
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def rank_zero(**changes):
    """The environment torchrun gives the only rank of a job."""
    return environment(
        RANK='0', LOCAL_RANK='0', WORLD_SIZE='1', MASTER_ADDR='127.0.0.1', MASTER_PORT=str(free_port()), **changes)


def search_path(*first):
    """``first`` then every folder this interpreter imports from: for an interpreter started with ``-S``
    (no site-packages, no ``.pth`` files) that must still import what this one does."""
    return os.pathsep.join([str(p) for p in first] + [p for p in sys.path if p and os.path.isdir(p)])


# The fixes module alone (importing the ``mmrot3d`` package would apply the import-time fixes).
STANDALONE = f'''
import importlib.util, json, os, sys, warnings
_spec = importlib.util.spec_from_file_location('upstream_fixes', {str(Path(upstream_fixes.__file__))!r})
fixes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixes)
found = {{}}


def observe_launch():
    """MMEngine's torchrun path as MMAction2's default env_cfg starts it (NCCL): does it fail?"""
    import torch
    import mmengine.dist.utils as dist_utils
    try:
        dist_utils._init_dist_pytorch('nccl')
    except (AttributeError, RuntimeError, AssertionError) as err:
        return dict(check=fixes.cpu_torch_breaks_distributed_launch(), broken=True, why=repr(err))
    torch.distributed.destroy_process_group()
    return dict(check=fixes.cpu_torch_breaks_distributed_launch(), broken=False, why='NCCL started')
'''

# Each breakage as this machine has it, observed without the fix (None: cannot be observed here, ``why``).
PROBE = STANDALONE + '''
check = fixes.setuptools_deprecates_pkg_resources()
if 'pkg_resources' in sys.modules:
    found['pkg_resources'] = dict(check=check, broken=None, why='pkg_resources was imported at start-up')
else:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            import pkg_resources  # noqa: F401
            warned = any('pkg_resources is deprecated' in str(w.message) for w in caught)
            found['pkg_resources'] = dict(check=check, broken=warned, why='')
        except ImportError as err:
            found['pkg_resources'] = dict(check=check, broken=None, why=f'no pkg_resources here ({err})')

check = fixes.distutils_missing()
try:
    import distutils  # noqa: F401
    found['distutils'] = dict(check=check, broken=False, why='')
except ImportError as err:
    found['distutils'] = dict(check=check, broken=True, why=repr(err))
    fixes.provide_distutils()  # MMEngine's Runner module, imported below, needs it

import pickle, tempfile
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint
check = fixes.full_checkpoints_refused()
path = os.path.join(tempfile.mkdtemp(), 'epoch_1.pth')
torch.save({'message_hub': HistoryBuffer()}, path)  # what a full MMEngine checkpoint pickles
try:
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        _load_checkpoint(path, map_location='cpu')
    found['checkpoints'] = dict(check=check, broken=False, why='')
except pickle.UnpicklingError as err:
    found['checkpoints'] = dict(check=check, broken=True, why=str(err)[:200])

from mmengine.utils import get_installed_path
check = fixes.editable_install_hides_configs()
where = get_installed_path('mmrot3d')
found['editable'] = dict(
    check=check, broken=not (os.path.isdir(where) and os.path.samefile(where, fixes.MMROT3D_DIR)), why=where)

found['distributed'] = observe_launch()

from mmengine.config import Config
from mmengine.config import config as mm_config
check = fixes.config_formatted_on_every_call()
format_code, calls = mm_config.FormatCode, []
mm_config.FormatCode = lambda *args, **kwargs: calls.append(1) or format_code(*args, **kwargs)
one_line = Config(dict(a=1))
one_line.pretty_text, one_line.pretty_text
mm_config.FormatCode = format_code
found['config_text'] = dict(check=check, broken=len(calls) == 2, why='')

# last: a failed import leaves MMAction2's registries half filled
check = fixes.drn_module_missing()
from mmaction.utils import dependency
dependency.WITH_MULTIMODAL = False  # the transformers breakage, if any, out of the way
try:
    import mmaction.models  # noqa: F401
    found['drn'] = dict(check=check, broken=False, why='')
except ModuleNotFoundError as err:
    if err.name != 'mmaction.models.localizers.drn':
        raise
    found['drn'] = dict(check=check, broken=True, why=repr(err))
print(json.dumps(found))
'''

# CUDA hidden and a transformers 5 installed, nothing fixed but the drn stand-in the import needs first.
BROKEN = STANDALONE + '''
import traceback
found['distributed'] = observe_launch()
found['transformers_check'] = fixes.transformers_5_breaks_multimodal()
if fixes.drn_module_missing():
    fixes.provide_missing_drn_module()
try:
    import mmaction.models  # noqa: F401
    found['import'] = 'imported'
except Exception:
    found['import'] = traceback.format_exc()
print(json.dumps(found))
'''

HIDE_DISTUTILS = '''
import importlib.abc, sys
class NoDistutils(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == 'distutils':
            raise ModuleNotFoundError(f'No module named {name!r}', name=name)
sys.meta_path.insert(0, NoDistutils())
'''

# The three steps in order: ``import mmrot3d`` (a config's custom_imports), a SafeCheckpointRunner built for a
# torchrun rank (our configs' runner_type), our tools' first call; after each, which parts are patched. Then
# what each breakage broke.
LAUNCH = '''
import json, os, tempfile, warnings
caught = []
warnings.simplefilter('always')
warnings.showwarning = lambda message, *args, **kwargs: caught.append(str(message))
import mmrot3d
import mmengine.dist.utils as dist_utils
import mmengine.utils
from mmengine.config import Config
from mmengine.config import config as mm_config
from mmengine.model import MMDistributedDataParallel
from mmengine.runner import checkpoint, runner
from mmrot3d.utils import upstream_fixes


def patched():
    """Where each part a fix may change comes from now."""
    return dict(
        loader=checkpoint.CheckpointLoader._schemes[''].__module__,
        init_dist=dist_utils._init_dist_pytorch.__module__,
        ddp=MMDistributedDataParallel.__init__.__module__,
        lookup=mm_config.get_installed_path.__module__,
        format=mm_config.FormatCode.__module__,
        quiet=[f[1].pattern for f in warnings.filters if f[0] == 'ignore' and f[1] and 'pkg_resources' in f[1].pattern],
        save=runner.save_checkpoint is checkpoint.save_checkpoint,
        find_latest=runner.find_latest_checkpoint.__module__)


found = dict(on_import=upstream_fixes.applied_fixes(), after_import=patched())
import torch
from mmengine.dist import get_backend
from mmrot3d.engine.runner import SafeCheckpointRunner
cuda = torch.cuda.is_available()
built = SafeCheckpointRunner(  # what MMAction2's default env_cfg asks for: NCCL
    model=torch.nn.Linear(2, 2), work_dir=tempfile.mkdtemp(), launcher='pytorch',
    env_cfg=dict(dist_cfg=dict(backend='nccl')))
found.update(on_runner=upstream_fixes.applied_fixes(), after_runner=patched())
built.model(torch.ones(1, 2, device='cuda' if cuda else 'cpu')).sum().backward()
found.update(backend=get_backend(), cuda=cuda, wrapper=type(built.model).__name__)
found.update(on_tools=upstream_fixes.apply_tool_fixes(), after_tools=patched())
from distutils import errors
found['distutils'] = errors.__name__
from mmaction.registry import MODELS
found['recognizer3d'] = MODELS.get('Recognizer3D').__name__
try:  # (the Runner built above made 'mmengine' the default scope, which MODELS.build would search)
    MODELS.get('VindLUVQA')()
except Exception as err:
    found['vindlu'] = f'{type(err).__name__}: {err}'
caught.clear()
found['config'] = Config.fromfile(os.environ['MMROT3D_TEST_CONFIG']).runner_type
found['config_warnings'] = list(caught)
mm_config.get_installed_path = mmengine.utils.get_installed_path  # MMEngine's own package lookup
try:
    Config.fromfile(os.environ['MMROT3D_TEST_CONFIG'])
    found['config_by_mmengine'] = 'loaded'
except Exception as err:
    found['config_by_mmengine'] = f'{type(err).__name__}: {err}'
print(json.dumps(found))
'''

# A stand-in for transformers 5: every module and name imports, except what 5.0 removed.
FAKE_TRANSFORMERS_5 = '''"""A stand-in for transformers 5 (tests only)."""
import importlib.abc
import importlib.machinery
import sys
import types

__version__ = '5.0.0'
REMOVED = {'transformers.modeling_utils': {'apply_chunking_to_forward'}}


def _init(self, *args, **kwargs):
    pass


def _call(self, f=None, *args, **kwargs):
    return f


class _Anything(type):
    """Classes whose every attribute is another such class; their instances call as decorators."""

    def __getattr__(cls, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _Anything(name, (), {'__init__': _init, '__call__': _call})


class _Module(types.ModuleType):

    def __getattr__(self, name):
        if name.startswith('__') or name in REMOVED.get(self.__name__, ()):
            raise AttributeError(name)
        value = _Anything(name, (), {'__init__': _init, '__call__': _call})
        setattr(self, name, value)
        return value


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):

    def find_spec(self, fullname, path=None, target=None):
        parent, _, name = fullname.rpartition('.')
        if not fullname.startswith('transformers.') or name in REMOVED.get(parent, ()):
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return _Module(spec.name)

    def exec_module(self, module):
        module.__path__ = []


sys.meta_path.insert(0, _Finder())
sys.modules[__name__].__class__ = _Module
'''


def write_record(folder: Path, name: str, version: str) -> Path:
    """An install record (``.dist-info``) for ``name`` in ``folder``, as pip writes one."""
    record = folder / f'{name}-{version}.dist-info'
    record.mkdir(parents=True)
    (record / 'METADATA').write_text(f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n')
    return folder


def transformers_major():
    try:
        return int(importlib.metadata.version('transformers').split('.')[0])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None


@pytest.fixture(scope='module')
def config_file(tmp_path_factory) -> Path:
    """A user's config inheriting ours through ``mmrot3d::`` (and MMAction2's, through ``mmaction::``)."""
    shipped_path('configs/_base_/default_runtime.py')  # else one clear error: the package is not installed
    path = tmp_path_factory.mktemp('user') / 'user_config.py'
    path.write_text("_base_ = ['mmrot3d::_base_/default_runtime.py']\n")
    return path


@pytest.fixture(scope='module')
def probe():
    """Each breakage as this machine has it, with torchrun's rank environment for the launch."""
    return run_python(PROBE, rank_zero())


@pytest.fixture(scope='module')
def transformers_5(tmp_path_factory) -> str:
    """A folder to put first on ``PYTHONPATH`` for transformers 5: the installed one where it is 5 or later,
    else a stand-in (an install record saying 5.0.0 and a package without what 5.0 removed)."""
    folder = tmp_path_factory.mktemp('transformers5')
    if (transformers_major() or 0) < 5:
        write_record(folder, 'transformers', '5.0.0')
        (folder / 'transformers').mkdir()
        (folder / 'transformers' / '__init__.py').write_text(FAKE_TRANSFORMERS_5)
    return str(folder)


@pytest.fixture(scope='module')
def broken(transformers_5):
    """CUDA hidden and transformers 5, without mmrot3d."""
    return run_python(BROKEN, rank_zero(CUDA_VISIBLE_DEVICES='', PYTHONPATH=search_path(transformers_5)))


@pytest.fixture(scope='module')
def launched(tmp_path_factory, transformers_5, config_file):
    """The three steps in an interpreter started as torchrun starts the only rank of a job, with every breakage
    that can be produced: CUDA hidden, transformers 5, no ``distutils`` (Python >= 3.12 without setuptools'
    ``.pth`` finder: ``-S`` and a finder that refuses it), and an install record of mmrot3d that is not beside
    the imported package (an editable install's). Torch's checkpoint defaults stay as installed."""
    record = write_record(tmp_path_factory.mktemp('record'), 'mmrot3d', '0.1.0')
    env = rank_zero(
        CUDA_VISIBLE_DEVICES='',
        MMROT3D_TEST_CONFIG=str(config_file),
        PYTHONPATH=search_path(record, transformers_5, REPO))
    return run_python(HIDE_DISTUTILS + LAUNCH, env, flags=('-S', ))


@pytest.fixture(scope='module')
def unbroken(tmp_path_factory, config_file):
    """The three steps where the breakages that can be removed are: torch switched back to unpickling by
    default, mmrot3d installed as a regular package (its record beside it); CUDA as this machine has it."""
    site = write_record(tmp_path_factory.mktemp('site'), 'mmrot3d', '0.1.0')
    (site / 'mmrot3d').symlink_to(upstream_fixes.MMROT3D_DIR, target_is_directory=True)
    env = rank_zero(
        TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD='1',
        MMROT3D_TEST_CONFIG=str(config_file),
        PYTHONPATH=os.pathsep.join(p for p in [str(site), os.environ.get('PYTHONPATH')] if p))
    return run_python(LAUNCH, env)


# ---- each check agrees with what this machine shows ----------------------------------------------------

CHECKS = {
    'pkg_resources': upstream_fixes.setuptools_deprecates_pkg_resources,
    'distutils': upstream_fixes.distutils_missing,
    'checkpoints': upstream_fixes.full_checkpoints_refused,
    'editable': upstream_fixes.editable_install_hides_configs,
    'distributed': upstream_fixes.cpu_torch_breaks_distributed_launch,
    'drn': upstream_fixes.drn_module_missing,
    'config_text': upstream_fixes.config_formatted_on_every_call,
}


@pytest.mark.parametrize('breakage', list(CHECKS))
def test_each_check_finds_its_breakage_exactly_where_it_is(probe, breakage):
    observed = probe[breakage]
    if observed['broken'] is None:
        pytest.skip(f'{breakage}: cannot be observed here: {observed["why"]}')
    assert observed['check'] is observed['broken'], observed


# ---- which step applies which fixes --------------------------------------------------------------------

MMENGINE_PARTS = dict(
    loader='mmengine.runner.checkpoint',
    init_dist='mmengine.dist.utils',
    ddp='mmengine.model.wrappers.distributed',
    lookup='mmengine.utils.package_utils',
    format='yapf.yapflib.yapf_api',
    quiet=[],
    save=True,
    find_latest='mmengine.runner.checkpoint')


def names(fixes):
    return {fix.name for fix in fixes}


def test_each_fix_belongs_to_one_step():
    steps = [
        names(upstream_fixes.ON_IMPORT),
        names(upstream_fixes.FOR_RUNS),
        names(upstream_fixes.FOR_TOOLS) - names(upstream_fixes.FOR_RUNS)
    ]
    assert sum(map(len, steps)) == len(names(ALL_FIXES)) == len(ALL_FIXES)
    assert names(upstream_fixes.FOR_RUNS) <= names(upstream_fixes.FOR_TOOLS)  # our tools run what runs need


@pytest.mark.parametrize('where', ['launched', 'unbroken'])
def test_import_mmrot3d_applies_only_the_import_time_fixes_and_leaves_mmengine_alone(where, request):
    found = request.getfixturevalue(where)
    assert set(found['on_import']) <= names(upstream_fixes.ON_IMPORT), found['on_import']
    assert found['after_import'] == MMENGINE_PARTS


@pytest.mark.parametrize('where', ['launched', 'unbroken'])
def test_a_safe_checkpoint_runner_adds_only_the_fixes_runs_need(where, request):
    found = request.getfixturevalue(where)
    added = set(found['on_runner']) - set(found['on_import'])
    assert added <= names(upstream_fixes.FOR_RUNS), added
    runs = found['after_runner']
    assert (runs['loader'] == 'mmrot3d.utils.upstream_fixes') == (FIX['full_checkpoints_refused'] in added)
    on_cpu = FIX['cpu_torch_breaks_distributed_launch'] in added
    assert (runs['init_dist'] == 'mmrot3d.utils.upstream_fixes') == on_cpu
    assert (runs['ddp'] == 'mmrot3d.utils.upstream_fixes') == on_cpu
    assert (runs['format'] == 'mmrot3d.utils.upstream_fixes') == (FIX['config_formatted_on_every_call'] in added)
    # what only our tools need stays MMEngine's
    assert (runs['lookup'], runs['quiet']) == (MMENGINE_PARTS['lookup'], MMENGINE_PARTS['quiet'])


@pytest.mark.parametrize('where', ['launched', 'unbroken'])
def test_our_tools_first_call_adds_the_rest_and_never_saving_or_resuming(where, request):
    found = request.getfixturevalue(where)
    added = set(found['on_tools']) - set(found['on_runner'])
    assert added <= names(upstream_fixes.FOR_TOOLS) - names(upstream_fixes.FOR_RUNS), added
    tools = found['after_tools']
    assert (tools['lookup'] == 'mmrot3d.utils.upstream_fixes') == (FIX['editable_install_hides_configs'] in added)
    assert bool(tools['quiet']) == (FIX['setuptools_deprecates_pkg_resources'] in added)
    # SafeCheckpointRunner saves and resumes on its own; no fix patches MMEngine's
    assert tools['save'] and tools['find_latest'] == 'mmengine.runner.checkpoint'


# ---- each breakage, and its step fixing it ---------------------------------------------------------------


def test_mmaction_models_imports_with_the_drn_stand_in(probe, launched):
    if not probe['drn']['broken']:
        pytest.skip('this mmaction2 ships models/localizers/drn: nothing to stand in for (the check for such a '
                    'wheel: test_the_drn_check_is_false_where_the_module_is_found)')
    assert 'mmaction.models.localizers.drn' in probe['drn']['why']
    assert FIX['drn_module_missing'] in launched['on_import'] and launched['recognizer3d'] == 'Recognizer3D'


def test_transformers_5_breaks_mmaction_models_and_only_vindlu_is_skipped(broken, launched):
    assert broken['transformers_check'] is True
    assert 'mmaction/models/multimodal/vindlu' in broken['import'], broken['import']  # VindLU's import fails
    if all(importlib.util.find_spec(m) for m in ('einops', 'timm')):  # VindLU's own imports resolve here
        assert "cannot import name 'apply_chunking_to_forward'" in broken['import'], broken['import']
    assert FIX['transformers_5_breaks_multimodal'] in launched['on_import']
    assert launched['recognizer3d'] == 'Recognizer3D'  # every other model imports
    # MMAction2's placeholder (its message names the last placeholder registered, whichever is built)
    assert launched['vindlu'].startswith('ImportError: VindLU') and 'requires extra multi-modal' in launched['vindlu']


def test_distutils_is_importable_where_python_has_none(launched):
    hidden = subprocess.run([sys.executable, '-S', '-c', HIDE_DISTUTILS + 'from distutils import errors'],
                            capture_output=True,
                            text=True,
                            timeout=120,
                            env=environment(PYTHONPATH=search_path()))
    assert hidden.returncode != 0 and "No module named 'distutils'" in hidden.stderr
    assert FIX['distutils_missing'] in launched['on_import'] and launched['distutils'] == 'distutils.errors'


def test_torchrun_without_cuda_trains_with_gloo(broken, launched):
    assert broken['distributed']['broken'] and broken['distributed']['check'], broken['distributed']
    assert FIX['cpu_torch_breaks_distributed_launch'] in set(launched['on_runner']) - set(launched['on_import'])
    assert launched['cuda'] is False and launched['backend'] == 'gloo'
    assert launched['wrapper'] == 'MMDistributedDataParallel'


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA: MMEngine NCCL path with a GPU')
def test_with_cuda_torchrun_is_mmengine_nccl_path(unbroken):
    assert FIX['cpu_torch_breaks_distributed_launch'] not in unbroken['on_tools']
    assert unbroken['after_tools']['init_dist'] == 'mmengine.dist.utils'
    assert unbroken['after_tools']['ddp'] == 'mmengine.model.wrappers.distributed'
    assert unbroken['cuda'] is True and unbroken['backend'] == 'nccl'


def test_configs_of_an_install_whose_record_is_elsewhere_are_found(launched, unbroken):
    assert FIX['editable_install_hides_configs'] in set(launched['on_tools']) - set(launched['on_runner'])
    assert launched['config'] == 'SafeCheckpointRunner'  # our default_runtime.py, through mmrot3d::
    assert launched['config_by_mmengine'] != 'loaded'  # MMEngine's own lookup misses them
    # a regular install: MMEngine's lookup finds them, and is left alone
    assert FIX['editable_install_hides_configs'] not in unbroken['on_tools']
    assert unbroken['after_tools']['lookup'] == 'mmengine.utils.package_utils'
    assert unbroken['config'] == 'SafeCheckpointRunner'


def test_pkg_resources_warning_is_silenced_by_our_tools(probe, launched):
    observed = probe['pkg_resources']
    if not observed['broken']:
        pytest.skip(f'importing pkg_resources does not warn here (setuptools before 67.5, or without '
                    f'pkg_resources) {observed["why"]}')
    assert FIX['setuptools_deprecates_pkg_resources'] in set(launched['on_tools']) - set(launched['on_runner'])
    # reading a config that inherits mmaction:: imports pkg_resources (MMEngine reloads it for every base)
    assert not [w for w in launched['config_warnings'] if 'pkg_resources is deprecated' in w]


def test_full_checkpoints_load_through_the_trust_check_once_a_runner_is_built(probe, launched, unbroken):
    if not probe['checkpoints']['broken']:
        pytest.skip('torch here unpickles full checkpoints by default: nothing to fix')
    assert FIX['full_checkpoints_refused'] in set(launched['on_runner']) - set(launched['on_import'])
    assert launched['after_runner']['loader'] == 'mmrot3d.utils.upstream_fixes'
    # where torch unpickles by default, MMEngine's loader is left alone
    assert FIX['full_checkpoints_refused'] not in unbroken['on_tools']
    assert unbroken['after_tools']['loader'] == 'mmengine.runner.checkpoint'


# ---- full checkpoints: ours load, others are refused (where torch refuses them by default) --------------


@pytest.fixture
def checkpoint_fix():
    if FIX['full_checkpoints_refused'] not in upstream_fixes.apply_fixes(upstream_fixes.FOR_RUNS):
        pytest.skip('torch here unpickles full checkpoints by default: MMEngine loads them as it always did, '
                    'nothing to fix (see test_full_checkpoints_load_through_the_trust_check_...)')


def test_plain_state_dicts_load_weights_only(tmp_path):
    path = tmp_path / 'backbone.pth'
    torch.save({'conv.weight': torch.ones(2, 2)}, path)
    assert torch.equal(_load_checkpoint(str(path))['conv.weight'], torch.ones(2, 2))


def full_checkpoint():
    """What MMEngine writes: tensors plus pickled Python objects (numpy scalars, here)."""
    return {'meta': {'epoch': 3, 'best': np.float64(0.5)}, 'state_dict': {'w': torch.zeros(3)}}


def test_our_own_full_checkpoints_load_and_are_written_atomically(tmp_path, private_trust_store, checkpoint_fix):
    path = tmp_path / 'epoch_3.pth'
    save_checkpoint_file(full_checkpoint(), path)
    assert [p.name for p in tmp_path.iterdir() if p.name != private_trust_store.name] == ['epoch_3.pth']
    assert _load_checkpoint(str(path))['meta']['epoch'] == 3


def test_full_checkpoints_from_elsewhere_are_refused(tmp_path, checkpoint_fix):
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


def test_a_checkpoint_carrying_code_is_refused_and_its_code_never_runs(tmp_path, checkpoint_fix):
    target = tmp_path / 'pwned.txt'
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {'w': torch.zeros(1)}, 'payload': WritesAFile(str(target))}, path)
    with pytest.raises(UntrustedCheckpointError, match='evil.pth: refusing to unpickle'):
        _load_checkpoint(str(path))
    assert not target.exists()
    torch.load(path, weights_only=False)  # what loading without the check would do
    assert target.exists()


# ---- each check on its own, in every condition it tells apart --------------------------------------------


def test_the_transformers_check_is_true_only_for_transformers_5(monkeypatch):
    version = importlib.metadata.version
    for installed, broken in (('4.46.3', False), ('5.0.0', True), ('5.24.0', True), (None, False)):

        def fake(name, v=installed):
            if name != 'transformers':
                return version(name)
            if v is None:
                raise importlib.metadata.PackageNotFoundError(name)
            return v

        monkeypatch.setattr(importlib.metadata, 'version', fake)
        monkeypatch.delitem(sys.modules, 'mmaction.models', raising=False)
        assert upstream_fixes.transformers_5_breaks_multimodal() is broken, installed
    monkeypatch.setitem(sys.modules, 'mmaction.models', types.ModuleType('mmaction.models'))
    assert not upstream_fixes.transformers_5_breaks_multimodal()  # too late: the models are imported


def test_the_drn_check_is_false_where_the_module_is_found(tmp_path, monkeypatch):
    import mmaction
    fake = tmp_path / 'mmaction'
    drn = fake / 'models' / 'localizers' / 'drn'
    drn.mkdir(parents=True)
    monkeypatch.setattr(mmaction, '__path__', [str(fake)])
    monkeypatch.delitem(sys.modules, 'mmaction.models.localizers.drn', raising=False)
    for version, files, missing in (
        ('1.2.0', {}, False),  # a source checkout: drn/ without __init__.py imports as a namespace package
        ('1.2.0', {
            '__init__.py': '',
            'drn.py': 'class DRN: ...'
        }, False),  # a wheel that ships it
        ('1.2.0', None, True),  # the 1.2.0 wheel
        ('1.3.0', None, True),
        ('1.1.0', None, False),  # before DRN: nothing imports it
    ):
        if files is None:
            shutil.rmtree(drn, ignore_errors=True)
        else:
            drn.mkdir(exist_ok=True)
            for name, text in files.items():
                (drn / name).write_text(text)
        monkeypatch.setattr(mmaction, '__version__', version)
        assert upstream_fixes.drn_module_missing() is missing, (version, files)
    monkeypatch.setitem(sys.modules, 'mmaction.models.localizers.drn', types.ModuleType('drn'))
    assert not upstream_fixes.drn_module_missing()  # the stand-in, or the real module, is imported


def test_the_checkpoint_check_follows_torchs_default(monkeypatch):
    load = torch.load
    monkeypatch.setattr(torch, 'load', lambda *a, **k: load(*a, **{'weights_only': True, **k}))
    assert upstream_fixes.full_checkpoints_refused()  # torch >= 2.6's default
    monkeypatch.setattr(torch, 'load', lambda *a, **k: load(*a, **{'weights_only': False, **k}))
    assert not upstream_fixes.full_checkpoints_refused()  # torch < 2.6's default


def test_the_distributed_check_is_true_only_without_cuda_on_mmengine_releases_so_far(monkeypatch):
    import mmengine
    for cuda, version, broken in ((False, '0.10.7', True), (False, '0.8.4', True), (True, '0.10.7', False),
                                  (False, '0.11.0', False)):  # a later release: MMEngine's own path, untouched
        monkeypatch.setattr(torch.cuda, 'is_available', lambda c=cuda: c)
        monkeypatch.setattr(mmengine, '__version__', version)
        assert upstream_fixes.cpu_torch_breaks_distributed_launch() is broken, (cuda, version)


def test_the_distutils_check_looks_for_setuptools_finder_then_the_module(monkeypatch):
    finder = type('DistutilsMetaFinder', (), {'find_spec': lambda self, *a: None})()
    others = [f for f in sys.meta_path if type(f).__name__ != 'DistutilsMetaFinder']
    find_spec = importlib.util.find_spec
    spec = importlib.machinery.ModuleSpec('distutils', None)

    def answer(result):

        def fake(name, *args):
            if name != 'distutils':
                return find_spec(name, *args)
            if isinstance(result, Exception):
                raise result
            return result

        return fake

    for meta_path, found, missing in ((others + [finder], None, False), (others, spec, False), (others, None, True),
                                      (others, ModuleNotFoundError('distutils'), True)):
        monkeypatch.setattr(sys, 'meta_path', meta_path)
        monkeypatch.setattr(importlib.util, 'find_spec', answer(found))
        assert upstream_fixes.distutils_missing() is missing, (meta_path[-1], found)


def test_the_editable_install_check_compares_the_record_with_the_package(tmp_path, monkeypatch):
    distribution = importlib.metadata.distribution

    def record_at(folder):

        def fake(name):
            if name != 'mmrot3d':
                return distribution(name)
            if folder is None:
                raise importlib.metadata.PackageNotFoundError(name)
            return types.SimpleNamespace(locate_file=lambda package: Path(folder) / package)

        return fake

    (tmp_path / 'mmrot3d').mkdir()
    for folder, hidden in ((None, False), (Path(upstream_fixes.MMROT3D_DIR).parent, False), (tmp_path, True),
                           (tmp_path / 'nowhere', True)):
        monkeypatch.setattr(importlib.metadata, 'distribution', record_at(folder))
        assert upstream_fixes.editable_install_hides_configs() is hidden, folder


def test_the_setuptools_check_is_true_from_67_5(monkeypatch):
    version = importlib.metadata.version
    for installed, warns in (('67.4.0', False), ('67.5.0', True), ('80.10.2', True), ('not.a.version', False)):
        monkeypatch.setattr(
            importlib.metadata, 'version', lambda name, v=installed: v if name == 'setuptools' else version(name))
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


def test_a_config_text_is_formatted_once_and_a_changed_config_again(monkeypatch):
    from mmengine.config import Config
    from mmengine.config import config as mm_config
    from yapf.yapflib import yapf_api
    format_code, formatted = yapf_api.FormatCode, []
    monkeypatch.setattr(mm_config, 'FormatCode', format_code)  # as MMEngine imports it (a run may have fixed it)
    assert upstream_fixes.config_formatted_on_every_call()
    upstream_fixes.format_each_config_text_once()
    monkeypatch.setattr(yapf_api, 'FormatCode', lambda text, **kw: formatted.append(text) or format_code(text, **kw))
    cfg = Config.fromfile(shipped_path('configs/demo/r3d18-narrow_1xb8-8x4x1-2000it_synthetic-ucf-split1-rgb.py'))
    first = cfg.pretty_text
    assert cfg.pretty_text == first and len(formatted) == 1
    cfg.merge_from_dict({'train_cfg.max_iters': 5})
    changed = cfg.pretty_text
    assert len(formatted) == 2 and changed != first and 'max_iters=5' in changed
    monkeypatch.setattr(yapf_api, 'FormatCode', format_code)
    assert Config.fromstring(changed, '.py').pretty_text == changed  # the text yapf gives, a valid config
    assert not upstream_fixes.config_formatted_on_every_call()
