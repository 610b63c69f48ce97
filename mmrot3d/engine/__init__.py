"""Training-side pieces: the hooks (strict pretrained-backbone handoff, reliability, debugging) and the
runner whose checkpoints survive a kill (``runner_type = 'SafeCheckpointRunner'``)."""
from .hooks import (ChannelsLast3dHook, EpochSeedHook, NonFiniteLossError, NonFiniteLossHook, PretrainedBackboneHook,
                    RotationConfigCheckHook, SkippedVideosHook, TrainingAuditHook, state_dict_sha256)
from .runner import SafeCheckpointRunner

__all__ = [
    'ChannelsLast3dHook', 'EpochSeedHook', 'NonFiniteLossError', 'NonFiniteLossHook', 'PretrainedBackboneHook',
    'RotationConfigCheckHook', 'SafeCheckpointRunner', 'SkippedVideosHook', 'TrainingAuditHook', 'state_dict_sha256'
]
