# UCF101 split 1: SEVERE's fine-tuning of torchvision's MC3-18.
# From random initialisation, with SEVERE's recipe for it (its *_scratch.yaml).
_base_ = [
    '_base_/models/mc3-18-torchvision_severe.py',
    '_base_/datasets/ucf101.py',
    '_base_/schedules/severe_adam-wd1e-4_20x10e.py',
    '../_base_/default_runtime.py',
]
model = dict(cls_head=dict(num_classes=101))
