# 3DRotNet pretraining for 600 steps instead of 800: the main job's pretraining (bash tools/run_demo.sh),
# and a point of the pretraining-length curve of tools/benchmark.py synthetic-paper.
_base_ = ['rotnet3d_r3d18-narrow_1xb8-8x4x1-800it_synthetic-kinetics-rgb.py']
train_cfg = dict(max_iters=600, val_interval=600)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, end=600, eta_min=1e-5)
]
