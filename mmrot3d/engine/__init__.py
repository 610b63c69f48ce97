"""Training-side pieces: the hooks (strict pretrained-backbone handoff, reliability, debugging)."""
from .hooks import (ChannelsLast3dHook, NonFiniteLossError, NonFiniteLossHook, PretrainedBackboneHook,
                    RotationConfigCheckHook, SkippedVideosHook, TrainingAuditHook, state_dict_sha256)

__all__ = ['ChannelsLast3dHook', 'NonFiniteLossError', 'NonFiniteLossHook', 'PretrainedBackboneHook',
           'RotationConfigCheckHook', 'SkippedVideosHook', 'TrainingAuditHook', 'state_dict_sha256']
