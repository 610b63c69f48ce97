"""Building a model from a config and loading its weights, strictly, for inference tools."""
import logging
from typing import Optional, Tuple, Union

import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope

from ..models.backbone_io import BackboneCheckpointError, check_backbone_state, load_backbone_weights
from ..structures.video_input import config_input
from ..utils.checkpoint import load_checkpoint_file


def load_config(config: Union[str, Config]) -> Config:
    """A config from a path (importing its ``custom_imports``), with MMAction2's default scope set."""
    cfg = Config.fromfile(config) if not isinstance(config, Config) else config
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    return cfg


def load_weights(model: nn.Module, checkpoint: str, prefix: str = 'backbone.', input_kind: Optional[str] = None) -> str:
    """Load ``checkpoint`` into ``model``: all of it, or only the backbone; never partially.

    A state dict of the whole model (an MMEngine checkpoint your runs wrote, or a plain tensor file)
    loads strictly into the model; anything else must hold the backbone (an export, or tensors under
    ``prefix``) and goes through the project's strict backbone loader (every tensor must fit, else one error
    naming what does not; and a backbone pretrained on another input than ``input_kind``, if given, is refused).

    Returns:
        ``'model'`` or ``'backbone'``: what was loaded.
    """
    loaded = load_checkpoint_file(checkpoint, map_location='cpu')  # refuses untrusted pickles
    state = loaded.get('state_dict', loaded) if isinstance(loaded, dict) else None
    if isinstance(state, dict):
        state = {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}
        if not check_backbone_state(model, state):
            model.load_state_dict(state, strict=True)
            return 'model'
    backbone = getattr(model, 'backbone', None)
    if backbone is None:
        raise BackboneCheckpointError(f'{checkpoint} does not fit {type(model).__name__}: '
                                      f'{"; ".join(check_backbone_state(model, state or {}))}')
    load_backbone_weights(
        backbone, checkpoint, prefix, backbone_cfg=getattr(model, 'backbone_cfg', None), input_kind=input_kind)
    return 'backbone'


def init_model(config: Union[str, Config], checkpoint: Optional[str] = None, seed: int = 0) -> Tuple[nn.Module, str]:
    """Build ``config``'s model on the CPU in eval mode; without a checkpoint it keeps the config's random
    init (seeded: the control every pretrained backbone must beat).

    Returns:
        the model, and what was loaded: ``'model'``, ``'backbone'`` or ``'nothing'``.
    """
    import torch
    from mmaction.registry import MODELS

    cfg = load_config(config)
    torch.manual_seed(seed)
    model = MODELS.build(cfg.model)
    # MMEngine logs every parameter's initialiser at INFO when no log file is open: hundreds of lines.
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        model.init_weights()
    finally:
        logger.setLevel(level)
    loaded = load_weights(model, checkpoint, input_kind=config_input(cfg)) if checkpoint else 'nothing'
    model.eval()
    return model, loaded
