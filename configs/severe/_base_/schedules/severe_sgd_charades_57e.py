# SEVERE's Charades schedule (SEVERE-BENCHMARK at 2f99365, action_detection_multi_label_classification/configs/
# Charades/VSSL/32x8_112x112_R18_supervised.yaml, SOLVER): SGD, lr 0.0375 for batch 16, momentum 0.9, weight decay
# 1e-4; 57 epochs (MAX_EPOCH), lr x0.1 at epoch 41 and x0.01 at 49 (steps_with_relative_lrs, STEPS [0, 41, 49], LRS
# [1, 0.1, 0.01]); linear warm-up over the first 4 epochs from 1e-4 (WARMUP_EPOCHS 4.0, WARMUP_START_LR 0.0001);
# validated every 6 epochs (EVAL_PERIOD 6). Not here: precise BN statistics before each evaluation
# (BN.USE_PRECISE_STATS, 200 batches; MMAction2 1.2.0 has no such hook).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=57, val_begin=6, val_interval=6)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.0375, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4 / 0.0375, by_epoch=True, begin=0, end=4, convert_to_iter_based=True),
    dict(type='MultiStepLR', begin=0, end=57, by_epoch=True, milestones=[41, 49], gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=16)
