# MMAction2's runtime, plus what a 3DRotNet run needs on top of it.
_base_ = ['mmaction::_base_/default_runtime.py']
# Importing mmrot3d registers our components (and makes the pinned stack usable).
custom_imports = dict(imports=['mmrot3d'], allow_failed_imports=False)
# Checkpoints complete or absent under their names (a kill mid-save leaves the previous ones intact), recorded
# as this user's own so that --resume may unpickle them, and --resume past a torn last_checkpoint pointer.
runner_type = 'SafeCheckpointRunner'
# The 3 latest epoch checkpoints (R3D-18 with its optimizer: 265 MB each); no best_*.pth copies.
default_hooks = dict(checkpoint=dict(max_keep_ckpts=3, save_best=None))
# Reliability (README "Reliability"): config errors stop the run before step 1, a NaN/inf loss stops
# it before reaching the weights (the last good state is saved), bad videos are counted per epoch.
custom_hooks = [
    dict(type='RotationConfigCheckHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='SkippedVideosHook'),
]
