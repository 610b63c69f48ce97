"""mmrot3d: 3DRotNet video rotation-prediction pretraining as an MMAction2 plugin.

``custom_imports=dict(imports=['mmrot3d'])`` in a config is all MMAction2 needs: importing the
package applies the upstream fixes for the pinned stack, then registers the components.
"""
from .utils.upstream_fixes import apply_upstream_fixes

apply_upstream_fixes()

from . import datasets, engine, evaluation, models  # noqa: E402,F401  (registers into MMAction2's registries)
from .registry import register_config_scope  # noqa: E402

register_config_scope()

__version__ = '0.1.0'
