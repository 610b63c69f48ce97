# torchvision's R(2+1)D-18 on HMDB51 split 3 from random initialisation, with the
# recipe of r3d18_scratch_*. From a checkpoint of that architecture (torchvision-keyed files convert on
# loading): tools/benchmark.py --backbone NAME=PATH, or --cfg-options
#   default_hooks.pretrained_backbone.type=PretrainedBackboneHook default_hooks.pretrained_backbone.checkpoint=PATH
_base_ = [
    '../../_base_/models/r2plus1d18-torchvision_classifier.py', '../../_base_/datasets/hmdb51_split3.py',
    '../../_base_/schedules/sgd_finetune.py', '../../_base_/default_runtime.py'
]
model = dict(cls_head=dict(num_classes=51))
