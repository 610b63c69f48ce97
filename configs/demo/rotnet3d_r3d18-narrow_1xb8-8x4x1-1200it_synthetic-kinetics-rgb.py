# 3DRotNet pretraining for 1200 steps instead of 800: the demo's pretraining (at 800 steps the pretext was
# still learning: 84.6 % held-out rotation accuracy, 97.2 % at 1200). Run by `bash tools/run_demo.sh`, or:
# python tools/train.py THIS_CONFIG
_base_ = ['rotnet3d_r3d18-narrow_1xb8-8x4x1-800it_synthetic-kinetics-rgb.py']
train_cfg = dict(max_iters=1200, val_interval=1200)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, end=1200, eta_min=1e-5)
]
