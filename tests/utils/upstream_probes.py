"""What ``tests/utils/test_upstream_fixes.py`` runs in fresh interpreters, each printing one JSON line:

    python tests/utils/upstream_probes.py probe    # each breakage as this machine has it, and its check's answer
    python tests/utils/upstream_probes.py broken   # the breakages CUDA hidden and transformers 5 give, unfixed
    python tests/utils/upstream_probes.py launch   # the three steps that apply the fixes, and what each patched

``probe`` and ``broken`` load the fixes module alone (importing the ``mmrot3d`` package would apply the import-time
fixes). With ``MMROT3D_TEST_HIDE_DISTUTILS=1`` (and ``python -S``) ``distutils`` cannot be imported, as on Python
>= 3.12 without setuptools' ``.pth`` finder.
"""
import importlib.abc
import importlib.util
import json
import os
import pickle
import sys
import tempfile
import traceback
import warnings
from pathlib import Path


class NoDistutils(importlib.abc.MetaPathFinder):

    def find_spec(self, name, path=None, target=None):
        if name == 'distutils':
            raise ModuleNotFoundError(f'No module named {name!r}', name=name)


def fixes_alone():
    path = Path(__file__).resolve().parents[2] / 'mmrot3d' / 'utils' / 'upstream_fixes.py'
    spec = importlib.util.spec_from_file_location('upstream_fixes', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def observe_launch(fixes):
    """MMEngine's torchrun path as MMAction2's default env_cfg starts it (NCCL): does it fail?"""
    import mmengine.dist.utils as dist_utils
    import torch
    check = fixes.cpu_torch_breaks_distributed_launch()
    try:
        dist_utils._init_dist_pytorch('nccl')
    except (AttributeError, RuntimeError, AssertionError) as err:
        return dict(check=check, broken=True, why=repr(err))
    torch.distributed.destroy_process_group()
    return dict(check=check, broken=False, why='NCCL started')


def observed(check, action, *breaks, absent=()):
    """``{check, broken, why}``: ``action()`` raising one of ``breaks`` is the breakage, one of ``absent`` means
    it cannot be observed here (``broken`` None); ``action()`` returning True is the breakage too."""
    try:
        return dict(check=check, broken=bool(action()), why='')
    except absent as err:
        return dict(check=check, broken=None, why=repr(err))
    except breaks as err:
        return dict(check=check, broken=True, why=repr(err)[:300])


def probe() -> dict:
    fixes = fixes_alone()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        found = dict(
            pkg_resources=observed(
                fixes.setuptools_deprecates_pkg_resources(),
                lambda: importlib.import_module('pkg_resources') and any('pkg_resources is deprecated' in str(w.message)
                                                                         for w in caught),
                absent=(ImportError, )))
    found['distutils'] = observed(fixes.distutils_missing(), lambda: not importlib.import_module('distutils'),
                                  ImportError)
    if found['distutils']['broken']:
        fixes.provide_distutils()  # MMEngine's Runner module, imported below, needs it
    import torch
    from mmengine.logging import HistoryBuffer
    from mmengine.runner.checkpoint import _load_checkpoint
    from mmengine.utils import get_installed_path
    path = os.path.join(tempfile.mkdtemp(), 'epoch_1.pth')
    torch.save({'message_hub': HistoryBuffer()}, path)  # what a full MMEngine checkpoint pickles
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        found['checkpoints'] = observed(fixes.full_checkpoints_refused(),
                                        lambda: not _load_checkpoint(path, map_location='cpu'), pickle.UnpicklingError)
    where = get_installed_path('mmrot3d')
    found['editable'] = observed(fixes.editable_install_hides_configs(),
                                 lambda: not (os.path.isdir(where) and os.path.samefile(where, fixes.MMROT3D_DIR)))
    found['distributed'] = observe_launch(fixes)
    found['multimodal'] = observed(  # what VindLU imports from transformers
        fixes.multimodal_imports_missing(),
        lambda: not importlib.import_module('transformers.modeling_utils').apply_chunking_to_forward,
        AttributeError,
        absent=(ModuleNotFoundError, ))
    check = fixes.drn_module_missing()  # last: a failed import leaves MMAction2's registries half filled
    from mmaction.utils import dependency
    dependency.WITH_MULTIMODAL = False  # the transformers breakage, if any, out of the way
    found['drn'] = observed(check, lambda: not importlib.import_module('mmaction.models'), ModuleNotFoundError)
    return found


def broken() -> dict:
    fixes = fixes_alone()
    found = dict(distributed=observe_launch(fixes), multimodal=fixes.multimodal_imports_missing())
    if fixes.drn_module_missing():
        fixes.provide_missing_drn_module()
    try:
        import mmaction.models  # noqa: F401
        found['import'] = 'imported'
    except Exception:
        found['import'] = traceback.format_exc()
    return found


def launch() -> dict:
    """The three steps in order (a user's script reading our config after ``import mmrot3d``, a SafeCheckpointRunner
    built for a torchrun rank, our tools' first call); after each, which parts are patched; then what each broke."""
    caught = []
    warnings.simplefilter('always')
    warnings.showwarning = lambda message, *args, **kwargs: caught.append(str(message))
    try:
        import distutils  # noqa: F401
        before = 'imported'
    except ModuleNotFoundError as err:
        before = repr(err)
    import mmengine.dist.utils as dist_utils
    import mmengine.utils
    import torch
    from mmengine.config import Config
    from mmengine.config import config as mm_config
    from mmengine.dist import get_backend
    from mmengine.model import MMDistributedDataParallel
    from mmengine.runner import checkpoint, runner

    from mmrot3d.engine.runner import SafeCheckpointRunner
    from mmrot3d.utils import upstream_fixes

    def patched():
        quiet = [f for f in warnings.filters if f[0] == 'ignore' and f[1] and 'pkg_resources' in f[1].pattern]
        return dict(
            loader=checkpoint.CheckpointLoader._schemes[''].__module__,
            quiet=bool(quiet),
            init_dist=dist_utils._init_dist_pytorch.__module__,
            lookup=mm_config.get_installed_path.__module__,
            ddp=MMDistributedDataParallel.__init__.__module__,
            save=runner.save_checkpoint is checkpoint.save_checkpoint,
            find_latest=runner.find_latest_checkpoint.__module__)

    user_config = os.environ['MMROT3D_TEST_CONFIG']
    found = dict(on_import=upstream_fixes.applied_fixes(), after_import=patched(), distutils_before=before)
    from mmengine.hub import get_config
    found['config'] = Config.fromfile(user_config).runner_type  # in a user's script
    found['get_config'] = get_config('mmrot3d::_base_/default_runtime.py').runner_type
    cuda = torch.cuda.is_available()
    built = SafeCheckpointRunner(
        model=torch.nn.Linear(2, 2),
        work_dir=tempfile.mkdtemp(),
        launcher='pytorch',
        env_cfg=dict(dist_cfg=dict(backend='nccl')))  # MMAction2's default env_cfg: NCCL
    found.update(on_runner=upstream_fixes.applied_fixes(), after_runner=patched())
    built.model(torch.ones(1, 2, device='cuda' if cuda else 'cpu')).sum().backward()
    found.update(backend=get_backend(), cuda=cuda, wrapper=type(built.model).__name__)
    found.update(on_tools=upstream_fixes.apply_tool_fixes(), after_tools=patched())
    from distutils import errors

    from mmaction.registry import MODELS
    found.update(distutils=errors.__name__, recognizer3d=MODELS.get('Recognizer3D').__name__)
    try:
        MODELS.get('VindLUVQA')()
    except Exception as err:
        found['vindlu'] = f'{type(err).__name__}: {err}'
    caught.clear()
    Config.fromfile(user_config)
    found['config_warnings'] = list(caught)
    mm_config.get_installed_path = mmengine.utils.get_installed_path  # MMEngine's own package lookup
    try:
        found['config_by_mmengine'] = Config.fromfile(user_config).runner_type
    except Exception as err:
        found['config_by_mmengine'] = f'{type(err).__name__}: {err}'
    return found


if __name__ == '__main__':
    if os.environ.get('MMROT3D_TEST_HIDE_DISTUTILS'):
        sys.meta_path.insert(0, NoDistutils())
    print(json.dumps(dict(probe=probe, broken=broken, launch=launch)[sys.argv[1]]()))
