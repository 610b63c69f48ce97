"""Moving a backbone between runs: export a plain tensor state dict, load it strictly.

The file format is the one of ``tools/export_backbone.py``: a plain ``{name: tensor}`` dict of the
backbone alone, loadable with ``torch.load(weights_only=True)``; loading goes through the project's
strict loader (:func:`mmrot3d.engine.backbone_io.load_backbone_weights`).
"""
from collections import OrderedDict
from pathlib import Path
from typing import Dict, Union

import torch
import torch.nn as nn


PathLike = Union[str, Path]


def backbone_state_dict(checkpoint: Dict, prefix: str = 'backbone.') -> Dict[str, torch.Tensor]:
    """The backbone's tensors from a loaded checkpoint: a plain backbone state dict, a model state
    dict (keys ``backbone.*``) or a full MMEngine checkpoint (``{'state_dict': ...}``)."""
    sd = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(sd, dict) or not sd:
        raise ValueError('backbone_state_dict: the checkpoint holds no state dict')
    if any(k.startswith(prefix) for k in sd):
        sd = OrderedDict((k[len(prefix):], v) for k, v in sd.items() if k.startswith(prefix))
    return sd


def export_backbone(model: nn.Module, path: PathLike) -> Path:
    """Save ``model.backbone`` (or ``model`` itself when it has none) as a plain tensor state dict."""
    module = getattr(model, 'module', model)
    module = getattr(module, 'backbone', module)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(OrderedDict((k, v.detach().cpu().clone()) for k, v in module.state_dict().items()), path)
    return path


def load_backbone(backbone: nn.Module, path: PathLike, prefix: str = 'backbone.') -> int:
    """Load ``path`` into ``backbone`` strictly (the project's loader: any missing/unexpected key or
    shape mismatch raises ``BackboneCheckpointError``, and nothing is loaded)."""
    from ..engine.backbone_io import load_backbone_weights
    count, _ = load_backbone_weights(backbone, str(path), prefix=prefix)
    return count
