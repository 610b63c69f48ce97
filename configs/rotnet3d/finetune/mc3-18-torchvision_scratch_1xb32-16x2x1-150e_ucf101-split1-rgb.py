# torchvision's MC3-18 on UCF101 split 1 from random initialisation, with the
# recipe of r3d18_scratch_*. From a checkpoint of that architecture (torchvision-keyed files convert on
# loading): tools/benchmark.py --backbone NAME=PATH, or --cfg-options
#   default_hooks.pretrained_backbone.type=PretrainedBackboneHook default_hooks.pretrained_backbone.checkpoint=PATH
_base_ = [
    '../../_base_/models/mc3-18-torchvision_classifier.py', '../../_base_/datasets/ucf101.py',
    '../../_base_/schedules/sgd_finetune.py', '../../_base_/default_runtime.py'
]
model = dict(cls_head=dict(num_classes=101))
