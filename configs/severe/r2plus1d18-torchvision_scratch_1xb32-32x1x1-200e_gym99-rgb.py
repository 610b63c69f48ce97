# FineGym Gym99: SEVERE's fine-tuning of torchvision's R(2+1)D-18 (SEVERE's network).
# From random initialisation, with SEVERE's recipe for it (its *_scratch.yaml).
_base_ = [
    '_base_/models/r2plus1d18-torchvision_severe.py',
    '_base_/datasets/gym99.py',
    '_base_/schedules/severe_adam-wd1e-4_20x10e.py',
    '../_base_/default_runtime.py',
]
model = dict(cls_head=dict(num_classes=99))
