"""The ``mmrot3d`` scope, so that a config can inherit ours with ``_base_ = ['mmrot3d::<folder>/<file>.py']``.

MMEngine tags every component of a config inherited through ``mmrot3d::`` with ``_scope_='mmrot3d'``
and builds it from the registries of that scope, importing this module to find them. Ours are
children of MMAction2's: they add nothing and find everything registered there (mmrot3d registers its
components into MMAction2's registries, where ``default_scope='mmaction'`` configs find them).
"""

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
    """Make ``mmrot3d::`` config paths resolve (``import mmrot3d`` calls it)."""
    from mmengine.config import utils

    # Needed: MMEngine resolves ``<scope>::`` only for the packages in this table, and offers no other way in.
    utils.MODULE2PACKAGE.setdefault(SCOPE, 'mmrot3d')
