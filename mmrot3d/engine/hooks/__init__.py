from .channels_last_hook import ChannelsLast3dHook
from .config_check_hook import RotationConfigCheckHook
from .epoch_seed_hook import EpochSeedHook
from .non_finite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .plateau_stop_hook import PlateauStopHook
from .pretrained_backbone_hook import PretrainedBackboneHook
from .skipped_videos_hook import SkippedVideosHook
from .training_audit_hook import TrainingAuditHook, state_dict_sha256

__all__ = [
    'ChannelsLast3dHook', 'EpochSeedHook', 'NonFiniteLossError', 'NonFiniteLossHook', 'PlateauStopHook',
    'RotationConfigCheckHook', 'SkippedVideosHook', 'PretrainedBackboneHook', 'TrainingAuditHook', 'state_dict_sha256'
]
