# Action recognition on the synthetic UCF101-style set with the narrow R3D-18 (Recognizer3D + I3DHead), from
# random init; the benchmark (tools/benchmark.py synthetic) sets the split's lists, the seed, a pretrained
# backbone (default_hooks.pretrained_backbone = PretrainedBackboneHook, strict), and per backbone the recipe
# chosen on validation (optim_wrapper.optimizer.lr, optim_wrapper.paramwise_cfg.custom_keys.backbone.lr_mult)
# and the step budget, all as --cfg-options. Test: 10 clips per video (test_pipeline).
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
max_iters = 400
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=3e-3, weight_decay=1e-2),
    clip_grad=dict(max_norm=40),
    paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=1.0))))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=60),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=60, end=max_iters, eta_min=1e-5)
]
