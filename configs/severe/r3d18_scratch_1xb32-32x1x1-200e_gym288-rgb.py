# FineGym Gym288: SEVERE's fine-tuning of R3D-18 (ours).
# From random initialisation, with SEVERE's recipe for it (its *_scratch.yaml).
_base_ = [
    '_base_/models/r3d18_severe.py',
    '_base_/datasets/gym288.py',
    '_base_/schedules/severe_adam-wd1e-4_20x10e.py',
    '../_base_/default_runtime.py',
]
model = dict(cls_head=dict(num_classes=288))
