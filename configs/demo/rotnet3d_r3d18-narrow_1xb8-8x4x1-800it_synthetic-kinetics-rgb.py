# 3DRotNet pretraining of the narrow R3D-18 on the synthetic Kinetics-style set: 8 frames (every 4th of the
# 32-frame clips) at 48x48, all 4 rotations of each of 8 clips per step (32 clips through the backbone), 800
# steps, validated once at the end on every held-out clip. The base of the demo's pretraining (1200 steps)
# and of the paper preset's variants (800 steps, equal compute). python tools/train.py THIS_CONFIG
_base_ = ['../_base_/models/r3d18_narrow.py', '_base_/synthetic_kinetics.py', '_base_/demo_runtime.py']
model = dict(
    type='RotationRecognizer',
    rotate_in_model=True,
    angles=(0, 90, 180, 270),
    cls_head=dict(type='RotationHead', num_classes=4, in_channels=128, hidden_channels=64))
max_iters = 800
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = dict(type='RotationAccuracy')
test_evaluator = val_evaluator
# fused: one kernel for all parameters (the same update, 3x cheaper on CPU for this network)
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=2e-3, weight_decay=1e-4, fused=True), clip_grad=dict(max_norm=40))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, end=max_iters, eta_min=1e-5)
]
