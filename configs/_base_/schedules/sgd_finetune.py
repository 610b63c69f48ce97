# Fine-tuning recipe (REFERENCE.md): SGD lr 0.01, momentum 0.9, weight decay 5e-4, 150 epochs,
# lr x0.1 at epochs 60 and 120; validate (1 clip per video) every 5 epochs.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=150, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4), clip_grad=dict(max_norm=40, norm_type=2))
param_scheduler = [dict(type='MultiStepLR', begin=0, end=150, by_epoch=True, milestones=[60, 120], gamma=0.1)]

# lr 0.01 is for 32 clips per step; --auto-scale-lr rescales it for other total batch sizes.
auto_scale_lr = dict(enable=False, base_batch_size=32)
