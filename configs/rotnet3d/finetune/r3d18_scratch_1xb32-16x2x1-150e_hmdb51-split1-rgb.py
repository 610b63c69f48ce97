# R3D-18 on HMDB51 split 1 from random initialisation (the baseline the paper improves on).
_base_ = [
    '../../_base_/models/r3d18_classifier.py', '../../_base_/datasets/hmdb51.py',
    '../../_base_/schedules/sgd_finetune.py', '../../_base_/default_runtime.py'
]
model = dict(cls_head=dict(num_classes=51))
