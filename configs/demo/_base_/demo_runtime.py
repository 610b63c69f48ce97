_base_ = ['../../_base_/default_runtime.py']
# Iteration-based: one checkpoint, at the end; validation metrics logged at their step (not epoch 0).
default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=100000, save_last=True, max_keep_ckpts=1),
    logger=dict(log_metric_by_epoch=False))
log_processor = dict(by_epoch=False)
env_cfg = dict(mp_cfg=dict(opencv_num_threads=1))
randomness = dict(seed=0, deterministic=False)
# channels_last_3d (docs/performance.md, section 4): the narrow R3D-18's training step is faster in this
# memory layout on CPU and computes the same fp32 values.
custom_hooks = [
    dict(type='RotationConfigCheckHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='SkippedVideosHook'),
    dict(type='ChannelsLast3dHook'),
]
