"""Fixes for breakages of MMAction2 1.2.0 / MMEngine 0.10.7 on the supported stacks (Python 3.11 with CPU torch
2.13; Python 3.12 with CUDA torch 2.11, transformers 5 and packages installed with ``pip install --target``).

Each fix is a check and a patch: the patch is applied only where the check finds the breakage, in the installed
versions or in how they behave, and at most once per process. Three sets, each applied by an explicit step:

* ``ON_IMPORT``: without these MMAction2 1.2.0 cannot import or run on a supported stack, or a user's script
  cannot read our ``mmrot3d::`` configs from an editable install. ``import mmrot3d`` applies them, which a
  config's ``custom_imports`` does before ``mmaction.models`` is imported (MMAction2's ``tools/train.py``
  imports only ``mmaction.registry`` first).
* ``FOR_RUNS``: what our runs add to MMAction2's (full checkpoints our own runs wrote load; torchrun without
  CUDA). ``runner_type = 'SafeCheckpointRunner'``, which our configs set, applies them as the runner is built,
  so that MMAction2's own tools get them from the config.
* ``FOR_TOOLS``: ``FOR_RUNS`` and a log without MMEngine's repeated ``pkg_resources`` warning, before our tools
  read a config. :func:`apply_tool_fixes` is our tools' first call.

``tests/utils/test_upstream_fixes.py`` shows each breakage, its fix, and that nothing is patched where the
breakage is absent or before its step.
"""
import ast
import glob
import importlib
import importlib.machinery
import importlib.metadata
import importlib.util
import os.path as osp
import pickle
import sys
import tempfile
import types
import warnings
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence

import torch

MMROT3D_DIR = osp.dirname(osp.dirname(osp.abspath(__file__)))


@dataclass(frozen=True)
class UpstreamFix:
    """A breakage of the installed stack: ``present()`` tells whether it is there; ``apply()`` removes it."""
    name: str
    present: Callable[[], bool]
    apply: Callable[[], None]


def version_of(module: str) -> tuple:
    """``module.__version__``, comparable as MMEngine compares versions."""
    from mmengine.utils import digit_version
    return digit_version(importlib.import_module(module).__version__)


def drn_module_missing() -> bool:
    """From 1.2.0, which added DRN, mmaction2's ``localizers/__init__.py`` imports ``.drn.drn``, but the 1.2.0
    wheel lacks ``models/localizers/drn/`` (upstream forgot its ``__init__.py``), so ``import mmaction.models``
    fails. The import system is asked for that module without importing ``mmaction.models`` (a source
    checkout has the folder, which imports as a namespace package)."""
    from mmengine.utils import digit_version
    if 'mmaction.models.localizers.drn' in sys.modules or version_of('mmaction') < digit_version('1.2.0'):
        return False
    localizers = [osp.join(folder, 'models', 'localizers') for folder in importlib.import_module('mmaction').__path__]
    return importlib.machinery.PathFinder.find_spec('drn', localizers) is None


def provide_missing_drn_module() -> None:
    """An empty stand-in lets everything else import; DRN itself stays unavailable."""

    class DRN:  # noqa: D401 - placeholder

        def __init__(self, *args, **kwargs):
            raise ImportError('DRN is not shipped in the mmaction2 1.2.0 wheel and cannot be built')

    package = types.ModuleType('mmaction.models.localizers.drn')
    package.__path__ = []
    module = types.ModuleType('mmaction.models.localizers.drn.drn')
    module.DRN = DRN
    package.drn = module
    sys.modules[package.__name__] = package
    sys.modules[module.__name__] = module


def full_checkpoints_refused() -> bool:
    """torch >= 2.6 loads with ``weights_only=True`` by default, which refuses the pickled objects of a full
    MMEngine checkpoint (history buffers, numpy scalars), and MMEngine 0.10.7's local loader passes no flag:
    does MMEngine's own loader refuse a file holding what its checkpoints hold?"""
    from mmengine.logging import HistoryBuffer
    from mmengine.runner import checkpoint as mm_checkpoint
    with tempfile.TemporaryDirectory() as folder:
        path = osp.join(folder, 'epoch_1.pth')
        torch.save({'message_hub': HistoryBuffer()}, path)
        try:
            with warnings.catch_warnings():  # torch warns when an environment variable sets the default
                warnings.simplefilter('ignore')
                mm_checkpoint.load_from_local(path, map_location='cpu')
        except pickle.UnpicklingError:
            return True
    return False


def load_local_checkpoints_through_trust_check() -> None:
    """Instead of turning weights-only loading off for every file, local files load weights-only unless
    this user's own runs wrote them (:func:`mmrot3d.utils.checkpoint.load_checkpoint_file`)."""
    from mmengine.runner import checkpoint as mm_checkpoint

    from .checkpoint import load_checkpoint_file

    def load_from_local(filename, map_location):
        return load_checkpoint_file(filename, map_location)

    mm_checkpoint.CheckpointLoader.register_scheme(prefixes='', loader=load_from_local, force=True)


def cpu_torch_breaks_distributed_launch() -> bool:
    """Without CUDA, MMEngine's torchrun path fails: every release up to 0.10.7 (the latest) calls
    ``torch.cuda.set_device`` in ``_init_dist_pytorch``, and its model wrapper passes ``device_ids=[local_rank]``."""
    from mmengine.utils import digit_version
    return not torch.cuda.is_available() and version_of('mmengine') <= digit_version('0.10.7')


def launch_distributed_on_cpu() -> None:
    """On a machine without CUDA: gloo, and DDP without ``device_ids``; one config serves CPUs and GPUs."""
    import mmengine.dist.utils as dist_utils
    from mmengine.model import MMDistributedDataParallel

    def init_dist_pytorch(backend, init_backend='torch', **kwargs):
        torch.distributed.init_process_group(backend='gloo', **kwargs)

    dist_utils._init_dist_pytorch = init_dist_pytorch
    ddp_init = MMDistributedDataParallel.__init__

    def ddp_init_on_cpu(self, module, detect_anomalous_params=False, **kwargs):
        kwargs['device_ids'] = None
        ddp_init(self, module, detect_anomalous_params=detect_anomalous_params, **kwargs)

    MMDistributedDataParallel.__init__ = ddp_init_on_cpu


def distutils_missing() -> bool:
    """Python 3.12 removed distutils, and MMEngine's Runner imports it on every run (collect_env); setuptools'
    copy is served under that name only by its site-packages ``.pth`` finder, which packages installed with
    ``pip install --target`` and put on ``PYTHONPATH`` do not get."""
    if any(type(finder).__name__ == 'DistutilsMetaFinder' for finder in sys.meta_path):
        return False
    try:
        return importlib.util.find_spec('distutils') is None
    except ImportError:
        return True


def provide_distutils() -> None:
    """Importing setuptools registers its copy as ``distutils``."""
    import setuptools  # noqa: F401


def multimodal_imports_missing() -> bool:
    """mmaction2 1.2.0 imports its multimodal (VindLU) models whenever transformers >= 4.28 is installed, and they
    import ``apply_chunking_to_forward`` from ``transformers.modeling_utils``, which transformers 5 removed, so
    ``import mmaction.models`` fails. Does ``transformers.modeling_utils`` lack a name that mmaction2's
    multimodal models import from it (read from their source, without importing them)?"""
    if 'mmaction.models' in sys.modules or importlib.util.find_spec('transformers') is None:
        return False  # too late, or no transformers: mmaction2 registers placeholders for those models itself
    wanted = set()
    for folder in importlib.import_module('mmaction').__path__:
        for source in glob.glob(osp.join(folder, 'models', 'multimodal', '**', '*.py'), recursive=True):
            with open(source, encoding='utf-8') as f:
                wanted |= {
                    alias.name
                    for node in ast.walk(ast.parse(f.read()))
                    if isinstance(node, ast.ImportFrom) and node.module == 'transformers.modeling_utils'
                    for alias in node.names
                }
    if not wanted:
        return False
    modeling_utils = importlib.import_module('transformers.modeling_utils')
    return not all(hasattr(modeling_utils, name) for name in wanted)


def skip_multimodal_models() -> None:
    """Declaring the multimodal extra absent makes mmaction2 register its placeholders instead (VindLU
    stays unavailable; nothing else changes)."""
    from mmaction.utils import dependency
    dependency.WITH_MULTIMODAL = False


def editable_install_hides_configs() -> bool:
    """MMEngine looks for a package's shipped configs (``mmrot3d::<path>``) beside the package's install
    record; for an editable install (PEP 660) that record lies in site-packages while the package, and
    its ``.mim/configs``, stay in the checkout."""
    try:
        beside_record = str(importlib.metadata.distribution('mmrot3d').locate_file('mmrot3d'))
    except importlib.metadata.PackageNotFoundError:
        return False  # not installed (PYTHONPATH): MMEngine then finds the package by importing it
    return not (osp.isdir(beside_record) and osp.samefile(beside_record, MMROT3D_DIR))


def find_editable_mmrot3d() -> None:
    """MMEngine's package lookup answers for mmrot3d with the package's own folder, where MMEngine reads
    ``mmrot3d::`` paths: a config's ``_base_`` and ``mmengine.hub.get_config``; other packages are looked up as
    before."""
    from mmengine.config import config
    from mmengine.hub import hub
    find_installed = config.get_installed_path

    def get_installed_path(package: str) -> str:
        return MMROT3D_DIR if package == 'mmrot3d' else find_installed(package)

    config.get_installed_path = hub.get_installed_path = get_installed_path


def setuptools_deprecates_pkg_resources() -> bool:
    """MMEngine imports ``pkg_resources`` to resolve ``mmaction::`` config paths; setuptools >= 67.5
    warns about that import on every run."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        major, minor = (int(part) for part in version('setuptools').split('.')[:2])
    except (PackageNotFoundError, ValueError):
        return False
    return (major, minor) >= (67, 5)


def silence_pkg_resources_warning() -> None:
    warnings.filterwarnings('ignore', message='pkg_resources is deprecated as an API')


ON_IMPORT = (
    UpstreamFix('distutils from setuptools (Python >= 3.12 without its .pth finder)', distutils_missing,
                provide_distutils),
    UpstreamFix('drn stand-in (the mmaction2 wheel lacks localizers/drn)', drn_module_missing,
                provide_missing_drn_module),
    UpstreamFix('multimodal models skipped (their transformers imports are gone, e.g. transformers >= 5)',
                multimodal_imports_missing, skip_multimodal_models),
    UpstreamFix('mmrot3d:: configs of an editable install found', editable_install_hides_configs,
                find_editable_mmrot3d),
)
FOR_RUNS = (
    UpstreamFix('trusted full checkpoints load (torch refuses them weights-only)', full_checkpoints_refused,
                load_local_checkpoints_through_trust_check),
    UpstreamFix('torchrun on CPU: gloo, DDP without device_ids (no CUDA)', cpu_torch_breaks_distributed_launch,
                launch_distributed_on_cpu),
)
FOR_TOOLS = FOR_RUNS + (UpstreamFix("setuptools' pkg_resources warning silenced", setuptools_deprecates_pkg_resources,
                                    silence_pkg_resources_warning), )
_checked: Dict[str, bool] = {}  # name -> whether applied, for each fix checked in this process


def apply_fixes(fixes: Sequence[UpstreamFix]) -> List[str]:
    """Check each of ``fixes`` not checked yet in this process and apply it where its breakage is present;
    returns the names of all the fixes applied so far in this process."""
    for fix in fixes:
        if fix.name not in _checked:
            present = fix.present()
            if present:
                fix.apply()
            _checked[fix.name] = present
    return applied_fixes()


def apply_tool_fixes() -> List[str]:
    """Our tools' first call: ``FOR_TOOLS`` (``import mmrot3d``, which it needs, applied ``ON_IMPORT``)."""
    return apply_fixes(FOR_TOOLS)


def applied_fixes() -> List[str]:
    return [name for name, applied in _checked.items() if applied]


def applied_fixes_message() -> str:
    """The line a run logs (SafeCheckpointRunner); nothing is logged when a fix is applied, which must not create
    MMEngine's logger or write to stdout, where tools print their results."""
    return f'mmrot3d: upstream fixes applied: {"; ".join(applied_fixes()) or "none needed"}'
