# R3D-18 on HMDB51 split 1 fed residual frames, fine-tuned from a backbone 3DRotNet-pretrained on residual frames
# (../rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-residual.py, exported by tools/export_backbone.py); an export
# pretrained on RGB is refused before step 1. Another file:
# --cfg-options default_hooks.pretrained_backbone.checkpoint=PATH
_base_ = ['r3d18_scratch_1xb32-16x2x1-150e_hmdb51-split1-residual.py']
default_hooks = dict(
    pretrained_backbone=dict(
        type='PretrainedBackboneHook', checkpoint='work_dirs/rotnet3d_kinetics_residual/backbone.pth'))
