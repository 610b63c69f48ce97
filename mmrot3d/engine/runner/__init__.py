from .safe_checkpoint_runner import SafeCheckpointBackend, SafeCheckpointRunner

__all__ = ['SafeCheckpointBackend', 'SafeCheckpointRunner']
