# R3D-18 on UCF101 split 3 from random initialisation (the baseline the paper improves on).
_base_ = [
    '../../_base_/models/r3d18_classifier.py', '../../_base_/datasets/ucf101_split3.py',
    '../../_base_/schedules/sgd_finetune.py', '../../_base_/default_runtime.py'
]
model = dict(cls_head=dict(num_classes=101))
