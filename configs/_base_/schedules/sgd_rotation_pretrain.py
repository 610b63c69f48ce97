# The authors' optimiser: SGD, momentum 0.9, weight decay 1e-3, lr 0.1 with step decay.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=50, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-3), clip_grad=dict(max_norm=40, norm_type=2))
param_scheduler = [dict(type='MultiStepLR', begin=0, end=50, by_epoch=True, milestones=[30, 45], gamma=0.1)]

# lr 0.1 is for 32 clips per step; --auto-scale-lr rescales it for other total batch sizes.
auto_scale_lr = dict(enable=False, base_batch_size=32)
