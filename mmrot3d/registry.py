"""The ``mmrot3d`` scope, so that a config can inherit ours with ``_base_ = ['mmrot3d::<folder>/<file>.py']``.

MMEngine tags every component of a config inherited through ``mmrot3d::`` with ``_scope_='mmrot3d'``
and builds it from the registries of that scope, importing this module to find them. Ours are
children of MMAction2's: they add nothing and find everything registered there (mmrot3d registers its
components into MMAction2's registries, where ``default_scope='mmaction'`` configs find them).
"""
import importlib.metadata
import os.path as osp

from mmaction import registry as mmaction
from mmengine.registry import Registry

SCOPE = 'mmrot3d'


def _child(parent: Registry) -> Registry:
    return Registry(parent.name, parent=parent, scope=SCOPE, locations=['mmrot3d'])


RUNNERS = _child(mmaction.RUNNERS)
RUNNER_CONSTRUCTORS = _child(mmaction.RUNNER_CONSTRUCTORS)
LOOPS = _child(mmaction.LOOPS)
HOOKS = _child(mmaction.HOOKS)
DATASETS = _child(mmaction.DATASETS)
DATA_SAMPLERS = _child(mmaction.DATA_SAMPLERS)
TRANSFORMS = _child(mmaction.TRANSFORMS)
MODELS = _child(mmaction.MODELS)
MODEL_WRAPPERS = _child(mmaction.MODEL_WRAPPERS)
WEIGHT_INITIALIZERS = _child(mmaction.WEIGHT_INITIALIZERS)
OPTIMIZERS = _child(mmaction.OPTIMIZERS)
OPTIM_WRAPPERS = _child(mmaction.OPTIM_WRAPPERS)
OPTIM_WRAPPER_CONSTRUCTORS = _child(mmaction.OPTIM_WRAPPER_CONSTRUCTORS)
PARAM_SCHEDULERS = _child(mmaction.PARAM_SCHEDULERS)
METRICS = _child(mmaction.METRICS)
EVALUATOR = _child(mmaction.EVALUATOR)
TASK_UTILS = _child(mmaction.TASK_UTILS)
VISUALIZERS = _child(mmaction.VISUALIZERS)
VISBACKENDS = _child(mmaction.VISBACKENDS)
LOG_PROCESSORS = _child(mmaction.LOG_PROCESSORS)
INFERENCERS = _child(mmaction.INFERENCERS)
FUNCTION = _child(mmaction.FUNCTION)


def register_config_scope() -> None:
    """Make ``mmrot3d::`` config paths resolve (call before parsing such a config; ``import mmrot3d`` does).

    MMEngine resolves ``<scope>::`` only for the packages in its ``MODULE2PACKAGE`` table, and finds
    a package's ``.mim`` beside the package's install record, which for an editable install (PEP 660)
    lies in site-packages while the package stays in the source tree. Both are taught about mmrot3d
    only; lookups of other packages are unchanged.
    """
    from mmengine.config import config, utils
    utils.MODULE2PACKAGE.setdefault(SCOPE, 'mmrot3d')
    package_dir = osp.dirname(osp.abspath(__file__))
    try:
        beside_record = str(importlib.metadata.distribution('mmrot3d').locate_file('mmrot3d'))
    except importlib.metadata.PackageNotFoundError:
        return  # not installed (PYTHONPATH): MMEngine then finds the package by importing it
    if osp.isdir(beside_record) and osp.samefile(beside_record, package_dir):
        return
    find_installed = config.get_installed_path
    if getattr(find_installed, 'mmrot3d_package_dir', None):
        return

    def get_installed_path(package: str) -> str:
        return package_dir if package == 'mmrot3d' else find_installed(package)

    get_installed_path.mmrot3d_package_dir = package_dir
    config.get_installed_path = get_installed_path
