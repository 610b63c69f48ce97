# FineGym Gym288: SEVERE's fine-tuning of torchvision's MC3-18.
# From a pretrained backbone: tools/benchmark.py --backbone, or --cfg-options
# default_hooks.pretrained_backbone.type=PretrainedBackboneHook default_hooks.pretrained_backbone.checkpoint=PATH.
_base_ = [
    '_base_/models/mc3-18-torchvision_severe.py',
    '_base_/datasets/gym288.py',
    '_base_/schedules/severe_adam_16x10e.py',
    '../_base_/default_runtime.py',
]
model = dict(cls_head=dict(num_classes=288))
