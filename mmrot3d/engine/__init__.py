"""Training-side pieces: the strict pretrained-backbone handoff, debugging hooks, and the logic
behind ``tools/{train,test,export_backbone,trust_checkpoint}.py``."""
from .backbone_io import (BackboneCheckpointError, check_backbone_state, export_backbone,
                          load_backbone_weights, read_backbone_file, resolve_checkpoint)
from .hooks import PretrainedBackboneHook, TrainingAuditHook, state_dict_sha256

__all__ = ['BackboneCheckpointError', 'check_backbone_state', 'export_backbone', 'load_backbone_weights',
           'read_backbone_file', 'resolve_checkpoint', 'PretrainedBackboneHook', 'TrainingAuditHook',
           'state_dict_sha256']
