"""Fixes for breakages of MMAction2 1.2.0 / MMEngine 0.10.7 on the pinned stack (torch 2.13, mmcv-lite).

``import mmrot3d`` (which a config's ``custom_imports`` does before ``mmaction.models`` is imported:
MMAction2's ``tools/train.py`` imports only ``mmaction.registry`` first) applies each fix whose breakage
it finds in the installed packages, and no other; a run's log says once which were applied. Each fix is a
check and a patch; ``tests/utils/test_upstream_fixes.py`` shows each breakage, its fix, and that nothing
is patched where the breakage is absent.

Changes of behaviour that are not fixes (atomic, trusted checkpoint saving; resuming past a torn
``last_checkpoint``) are not here: a config turns them on with ``runner_type = 'SafeCheckpointRunner'``.
"""
import importlib.metadata
import importlib.util
import inspect
import io
import os.path as osp
import pickle
import sys
import types
import warnings
from dataclasses import dataclass
from typing import Callable, List, Optional

import torch

MMROT3D_DIR = osp.dirname(osp.dirname(osp.abspath(__file__)))


@dataclass(frozen=True)
class UpstreamFix:
    """A breakage of the installed stack: ``present()`` tells whether it is there; ``apply()`` removes it."""
    name: str
    present: Callable[[], bool]
    apply: Callable[[], None]


def drn_module_missing() -> bool:
    """The mmaction2 1.2.0 wheel lacks ``models/localizers/drn/`` (upstream forgot its ``__init__.py``)
    while ``localizers/__init__.py`` imports it, so ``import mmaction.models`` fails."""
    if 'mmaction.models.localizers.drn' in sys.modules:
        return False
    package_dir = importlib.util.find_spec('mmaction').submodule_search_locations[0]
    localizers = osp.join(package_dir, 'models', 'localizers')
    with open(osp.join(localizers, '__init__.py')) as f:
        imports_drn = 'drn' in f.read()
    return imports_drn and not osp.isfile(osp.join(localizers, 'drn', 'drn.py'))


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
    """torch >= 2.6 loads with ``weights_only=True`` by default, which refuses the pickled objects of a
    full MMEngine checkpoint (history buffers, numpy scalars), and MMEngine's local loader passes no flag."""
    from mmengine.logging import HistoryBuffer
    from mmengine.runner import checkpoint as mm_checkpoint
    if 'weights_only' in inspect.getsource(mm_checkpoint.load_from_local):
        return False
    buffer = io.BytesIO()
    torch.save({'history': HistoryBuffer()}, buffer)
    buffer.seek(0)
    try:
        with warnings.catch_warnings():  # torch warns when an environment variable sets the default
            warnings.simplefilter('ignore')
            torch.load(buffer, map_location='cpu')
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
    """Without CUDA, MMEngine's torchrun path fails: ``_init_dist_pytorch`` always calls
    ``torch.cuda.set_device``, and the model wrapper passes ``device_ids=[local_rank]``."""
    if torch.cuda.is_available():
        return False
    import mmengine.dist.utils as dist_utils
    return 'torch.cuda.set_device' in inspect.getsource(inspect.unwrap(dist_utils._init_dist_pytorch))


def launch_distributed_on_cpu() -> None:
    """On a machine without CUDA: gloo, and DDP without ``device_ids``; one config serves CPUs and GPUs."""
    import mmengine.dist.utils as dist_utils
    from mmengine.model import MMDistributedDataParallel

    def init_dist_pytorch(backend, init_backend='torch', **kwargs):
        torch.distributed.init_process_group(backend='gloo', **kwargs)

    init_dist_pytorch.__wrapped__ = dist_utils._init_dist_pytorch  # what it replaces, for the check above
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


def transformers_5_breaks_multimodal() -> bool:
    """mmaction2 1.2.0 imports its VindLU models whenever transformers >= 4.28 is installed, and they import
    ``apply_chunking_to_forward`` from ``transformers.modeling_utils``, which transformers 5 removed, so
    ``import mmaction.models`` fails."""
    if 'mmaction.models' in sys.modules:
        return False
    try:
        return int(importlib.metadata.version('transformers').split('.')[0]) >= 5
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False


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
    """MMEngine's package lookup answers for mmrot3d with the package's own folder; other packages
    are looked up as before."""
    from mmengine.config import config
    find_installed = config.get_installed_path

    def get_installed_path(package: str) -> str:
        return MMROT3D_DIR if package == 'mmrot3d' else find_installed(package)

    config.get_installed_path = get_installed_path


def mmcv_without_compiled_ops() -> bool:
    """mmcv-lite ships no compiled ops by design, and warns about it on every import."""
    return importlib.util.find_spec('mmcv._ext') is None


def silence_mmcv_lite_ops_warning() -> None:
    # None of the models here use the deformable attention it warns about.
    warnings.filterwarnings('ignore', message='Fail to import ``MultiScaleDeformableAttention``')


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


FIXES = (
    UpstreamFix('distutils from setuptools (Python >= 3.12 without its .pth finder)', distutils_missing,
                provide_distutils),
    UpstreamFix('drn stand-in (the mmaction2 wheel lacks localizers/drn)', drn_module_missing,
                provide_missing_drn_module),
    UpstreamFix('multimodal models skipped (transformers >= 5 breaks their import)', transformers_5_breaks_multimodal,
                skip_multimodal_models),
    UpstreamFix('trusted full checkpoints load (torch refuses them weights-only)', full_checkpoints_refused,
                load_local_checkpoints_through_trust_check),
    UpstreamFix('torchrun on CPU: gloo, DDP without device_ids (no CUDA)', cpu_torch_breaks_distributed_launch,
                launch_distributed_on_cpu),
    UpstreamFix('mmrot3d:: configs of an editable install found', editable_install_hides_configs,
                find_editable_mmrot3d),
    UpstreamFix("mmcv-lite's missing-ops warning silenced", mmcv_without_compiled_ops, silence_mmcv_lite_ops_warning),
    UpstreamFix("setuptools' pkg_resources warning silenced", setuptools_deprecates_pkg_resources,
                silence_pkg_resources_warning),
)
_applied: Optional[List[str]] = None


def apply_upstream_fixes() -> List[str]:
    """Apply each fix whose breakage is present (once per process) and log which; returns their names."""
    global _applied
    if _applied is None:
        _applied = []
        for fix in FIXES:
            if fix.present():
                fix.apply()
                _applied.append(fix.name)
    return _applied


def applied_fixes_message() -> str:
    """The line a run logs (SafeCheckpointRunner); nothing is logged at import, which must not create
    MMEngine's logger or write to stdout, where tools print their results."""
    return f'mmrot3d: upstream fixes applied: {"; ".join(_applied or []) or "none needed"}'
