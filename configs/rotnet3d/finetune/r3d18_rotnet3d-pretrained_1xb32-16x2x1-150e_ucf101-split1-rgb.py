# R3D-18 on UCF101 split 1, fine-tuned from a 3DRotNet-pretrained backbone exported by tools/export_backbone.py;
# every tensor must fit or training stops before step 1. Another file:
# --cfg-options default_hooks.pretrained_backbone.checkpoint=PATH
_base_ = ['r3d18_scratch_1xb32-16x2x1-150e_ucf101-split1-rgb.py']
default_hooks = dict(
    pretrained_backbone=dict(type='PretrainedBackboneHook', checkpoint='work_dirs/rotnet3d_kinetics/backbone.pth'))
