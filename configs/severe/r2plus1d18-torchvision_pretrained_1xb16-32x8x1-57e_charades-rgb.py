# Charades (multi-label, mAP): SEVERE's protocol for it on r2plus1d18-torchvision, as far as MMAction2 1.2.0 goes
# (_base_/datasets/charades.py). The head as SEVERE's PySlowFast config sets it (MODEL: DROPOUT_RATE 0.5, LOSS_FUNC
# bce_logit, NUM_CLASSES 157) and PySlowFast's default normalisation (DATA.MEAN 0.45, DATA.STD 0.225; x255 here).
# From a pretrained backbone (tools/benchmark.py charades --backbone); the random init fine-tunes with it too.
_base_ = [
    '../_base_/models/r2plus1d18-torchvision_classifier.py',
    '_base_/datasets/charades.py',
    '_base_/schedules/severe_sgd_charades_57e.py',
    '../_base_/default_runtime.py',
]
model = dict(
    cls_head=dict(
        num_classes=157,
        multi_class=True,
        loss_cls=dict(type='BCELossWithLogits'),
        dropout_ratio=0.5,
        average_clips='score'),
    data_preprocessor=dict(mean=[114.75, 114.75, 114.75], std=[57.375, 57.375, 57.375]))
