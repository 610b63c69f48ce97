"""Small fixes that make MMAction2 1.2.0 / MMEngine 0.10.7 usable on the pinned stack.

Applied once, on ``import mmrot3d``, which a config's ``custom_imports`` does before
``mmaction.models`` is imported (MMAction2's own ``tools/train.py`` imports only
``mmaction.registry`` first). Each fix is one function; ``tests/utils/test_upstream_fixes.py``
shows the breakage it removes.
"""
import importlib.metadata
import importlib.util
import os.path as osp
import sys
import types
import warnings

import torch

from .atomic_io import make_resume_robust


def provide_missing_drn_module() -> None:
    # The mmaction2 1.2.0 wheel does not ship models/localizers/drn/ (upstream forgot its
    # __init__.py) while localizers/__init__.py imports it, so `import mmaction.models` fails.
    # An empty stand-in lets everything else import; DRN itself stays unavailable.
    if 'mmaction.models.localizers.drn' in sys.modules:
        return
    spec = importlib.util.find_spec('mmaction')
    pkg_dir = spec.submodule_search_locations[0]
    if osp.isfile(osp.join(pkg_dir, 'models', 'localizers', 'drn', 'drn.py')):
        return

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


def route_checkpoint_loading_through_trust_check() -> None:
    # torch >= 2.6 loads with weights_only=True by default, which full MMEngine checkpoints
    # (pickled history buffers, numpy scalars) fail; instead of turning that off for every file,
    # local files load weights-only unless our own runs wrote them (mmrot3d.utils.checkpoint).
    from mmengine.runner import checkpoint as mm_checkpoint
    from mmengine.runner import runner as mm_runner

    from .checkpoint import load_checkpoint_file, save_checkpoint_file

    def load_from_local(filename, map_location):
        return load_checkpoint_file(filename, map_location)

    mm_checkpoint.CheckpointLoader.register_scheme(prefixes='', loader=load_from_local, force=True)
    original_save = mm_runner.save_checkpoint

    def save_checkpoint(checkpoint, filename, file_client_args=None, backend_args=None):
        if '://' in str(filename) or file_client_args or backend_args:
            return original_save(checkpoint, filename, file_client_args, backend_args)
        save_checkpoint_file(checkpoint, filename)

    mm_runner.save_checkpoint = save_checkpoint


def allow_cpu_distributed_training() -> None:
    # MMEngine's torchrun path always calls torch.cuda.set_device and wraps the model with
    # device_ids=[local_rank]; both fail on CPU-only torch. On CPU we init gloo and let DDP
    # run without device_ids, so one config trains on CPU (gloo) and GPUs (NCCL) unchanged.
    import mmengine.dist.utils as dist_utils
    from mmengine.model import MMDistributedDataParallel

    init_on_gpu = dist_utils._init_dist_pytorch

    def init_dist_pytorch(backend, init_backend='torch', **kwargs):
        if torch.cuda.is_available():
            return init_on_gpu(backend, init_backend=init_backend, **kwargs)
        torch.distributed.init_process_group(backend='gloo', **kwargs)

    dist_utils._init_dist_pytorch = init_dist_pytorch
    ddp_init = MMDistributedDataParallel.__init__

    def ddp_init_cpu_aware(self, module, detect_anomalous_params=False, **kwargs):
        if all(p.device.type == 'cpu' for p in module.parameters()):
            kwargs['device_ids'] = None
        ddp_init(self, module, detect_anomalous_params=detect_anomalous_params, **kwargs)

    MMDistributedDataParallel.__init__ = ddp_init_cpu_aware


def provide_distutils() -> None:
    # Python 3.12 removed distutils, and MMEngine's Runner imports it on every run (collect_env:
    # `from distutils import errors`). setuptools ships a copy, but only its site-packages .pth file
    # installs the finder that serves it by that name; packages put on PYTHONPATH (`pip install
    # --target`) get none. Importing setuptools registers its copy as `distutils`.
    if any(type(finder).__name__ == 'DistutilsMetaFinder' for finder in sys.meta_path):
        return  # setuptools' .pth finder serves it on demand
    try:
        if importlib.util.find_spec('distutils') is not None:
            return  # the standard library's (Python < 3.12)
    except ImportError:
        pass
    import setuptools  # noqa: F401


def skip_multimodal_models_on_transformers_5() -> None:
    # mmaction2 1.2.0 imports its VindLU models whenever transformers >= 4.28 is installed, and they
    # import `apply_chunking_to_forward` from transformers.modeling_utils, which transformers 5 removed:
    # `import mmaction.models` then fails. Declaring the multimodal extra absent makes mmaction2 register
    # its placeholders instead (VindLU stays unavailable; nothing else changes).
    if 'mmaction.models' in sys.modules:
        return
    try:
        major = int(importlib.metadata.version('transformers').split('.')[0])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return
    if major >= 5:
        from mmaction.utils import dependency
        dependency.WITH_MULTIMODAL = False


def silence_mmcv_lite_ops_warning() -> None:
    # mmcv-lite ships no compiled ops by design (see README); none of our models use the
    # deformable attention it warns about on every import.
    warnings.filterwarnings('ignore', message='Fail to import ``MultiScaleDeformableAttention``')


_applied = False


def apply_upstream_fixes() -> None:
    global _applied
    if _applied:
        return
    silence_mmcv_lite_ops_warning()
    provide_distutils()
    provide_missing_drn_module()
    skip_multimodal_models_on_transformers_5()
    route_checkpoint_loading_through_trust_check()
    allow_cpu_distributed_training()
    make_resume_robust()  # a torn last_checkpoint pointer must not break --resume (atomic_io.py)
    _applied = True
