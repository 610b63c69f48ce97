_base_ = ['../../_base_/default_runtime.py']
custom_imports = dict(imports=['mmrot3d', 'mmrot3d.benchmark'], allow_failed_imports=False)
# Iteration-based: every arm gets an exact step budget. One checkpoint, at the end.
default_hooks = dict(logger=dict(type='LoggerHook', interval=20, ignore_last=False),
                     checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=100000, save_last=True,
                                     max_keep_ckpts=1))
log_processor = dict(type='LogProcessor', window_size=20, by_epoch=False)
env_cfg = dict(mp_cfg=dict(mp_start_method='fork', opencv_num_threads=1))
randomness = dict(seed=0, deterministic=False)
clip_len, frame_interval, crop_size, resize = 16, 2, 56, 64
# channels_last_3d (docs/performance.md, section 4): the narrow R3D-18's training step is faster in this
# memory layout on CPU and computes the same fp32 values.
custom_hooks = [
    dict(type='RotationConfigCheckHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='SkippedVideosHook'),
    dict(type='ChannelsLast3dHook'),
]
