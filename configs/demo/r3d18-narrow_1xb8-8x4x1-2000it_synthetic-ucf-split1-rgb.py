# Action recognition on the synthetic UCF101-style set with the narrow R3D-18 (Recognizer3D + I3DHead),
# trained until its validation accuracy plateaus: validated every 100 steps, stopped after 3 validations
# without a gain of one video in a hundred (PlateauStopHook: MMEngine's EarlyStoppingHook), never before 800
# steps (22 passes over a split's 288 training clips: a run still near chance is starting, not on a plateau),
# at most 2000 steps; the checkpoint of the best validation is kept for the test (10 clips per video). One
# recipe for every start (AdamW lr 3e-3, warm-up, then constant). The benchmark (tools/benchmark.py demo) sets, as
# --cfg-options, the split's training and validation lists (carved by group from its training list), the
# test list, the seed and a pretrained backbone (default_hooks.pretrained_backbone = PretrainedBackboneHook).
_base_ = ['../_base_/models/r3d18_narrow.py', '_base_/synthetic_ucf.py', '_base_/demo_runtime.py']
model = dict(
    type='Recognizer3D',
    cls_head=dict(
        type='I3DHead',
        num_classes=12,
        in_channels=128,
        spatial_type='avg',
        dropout_ratio=0.5,
        init_std=0.01,
        average_clips='prob'))
max_iters = 2000
val_interval = 100
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=val_interval)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=3e-3, weight_decay=1e-2, fused=True),
    clip_grad=dict(max_norm=40),
    paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=1.0))))
param_scheduler = [dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100)]
# The checkpoint of the best validation top-1, which the test evaluates. No checkpoint mid-run: a killed
# run starts again from step 0 and, seeded, repeats itself (the hook's count of validations
# without a gain is not saved in checkpoints, so a resumed run could stop elsewhere).
default_hooks = dict(checkpoint=dict(save_best='acc/top1', rule='greater'))
custom_hooks = [
    dict(type='RotationConfigCheckHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='SkippedVideosHook'),
    dict(type='ChannelsLast3dHook'),
    dict(type='PlateauStopHook', monitor='acc/top1', rule='greater', patience=3, min_delta=0.01, min_iters=800),
]
