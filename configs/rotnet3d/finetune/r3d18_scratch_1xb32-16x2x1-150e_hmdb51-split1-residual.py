# R3D-18 on HMDB51 split 1 from random initialisation, fed residual frames (frame differences) instead of RGB
# (see r3d18_scratch_1xb32-16x2x1-150e_ucf101-split1-residual.py).
_base_ = [
    '../../_base_/models/r3d18_classifier.py', '../../_base_/datasets/hmdb51_residual.py',
    '../../_base_/schedules/sgd_finetune.py', '../../_base_/default_runtime.py'
]
model = dict(cls_head=dict(num_classes=51))
