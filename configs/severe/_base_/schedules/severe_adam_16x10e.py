# SEVERE's schedule from ucf/112x112x32-fold1.yaml, gym99/112x112x32.yaml, their
# _1000_examples.yaml, gym288/112x112x32.yaml, diving48/112x112x32.yaml
# (SEVERE-BENCHMARK at 2f99365, action_recognition/configs/benchmark/): Adam (betas 0.9, 0.999; utils/main_utils.py::
# build_optimizer), lr 1e-4, weight decay 0, 16 epochs, lr x0.3 after epochs 6, 10, 14. A SEVERE epoch is
# clips_per_video = 10 passes over the training videos, each with a fresh random clip (datasets/video_db.py::__len__:
# videos x clips_per_video), so here an epoch is one pass and every count is x10; validated once a SEVERE epoch.
severe_epochs, passes = 16, 10
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=severe_epochs * passes, val_begin=passes, val_interval=passes)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999), weight_decay=0.0))
param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=severe_epochs * passes,
        by_epoch=True,
        milestones=[m * passes for m in [6, 10, 14]],
        gamma=0.3)
]
# lr 1e-4 is for 32 clips per step (SEVERE's batch); --auto-scale-lr rescales it for another total batch
auto_scale_lr = dict(enable=False, base_batch_size=32)
