default_scope = 'mmaction'
# The only hook MMAction2 needs: importing mmrot3d registers our components (and fixes the stack).
custom_imports = dict(imports=['mmrot3d'], allow_failed_imports=False)

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    sync_buffers=dict(type='SyncBuffersHook'))

# Reliability (README "Reliability"): config errors stop the run before step 1, a NaN/inf loss stops
# it before reaching the weights (the last good state is saved), bad videos are counted per epoch.
custom_hooks = [
    dict(type='RotationConfigCheckHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='SkippedVideosHook'),
]

# dist_cfg picks NCCL on GPUs; on CPU-only machines mmrot3d falls back to gloo, so one config serves both.
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))

log_processor = dict(type='LogProcessor', window_size=20, by_epoch=True)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)
log_level = 'INFO'
load_from = None
resume = False
