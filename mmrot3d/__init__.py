"""mmrot3d: 3DRotNet video rotation-prediction pretraining as an MMAction2 plugin.

``custom_imports=dict(imports=['mmrot3d'])`` in a config is all MMAction2 needs: importing the package applies
the upstream fixes without which MMAction2 1.2.0 cannot import or run on the supported stacks
(``upstream_fixes.ON_IMPORT``), then registers the components. The other fixes come with
``runner_type = 'SafeCheckpointRunner'`` and with our tools (:mod:`mmrot3d.utils.upstream_fixes`).
"""
from .utils.upstream_fixes import ON_IMPORT, apply_fixes

apply_fixes(ON_IMPORT)

from . import datasets, engine, evaluation, models  # noqa: E402,F401  (registers into MMAction2's registries)
from .registry import register_config_scope  # noqa: E402

register_config_scope()

__version__ = '0.1.0'
