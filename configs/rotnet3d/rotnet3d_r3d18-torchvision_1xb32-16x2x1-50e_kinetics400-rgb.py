# 3DRotNet pretraining of torchvision's R3D-18 (torchvision.models.video.r3d_18: 3x7x7 stem, no max pooling, the
# network other video-SSL methods publish) on Kinetics-400, with the recipe of
# rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py and torchvision's input normalisation. Its backbone exports
# in our format or torchvision's:
#   python tools/train.py configs/rotnet3d/rotnet3d_r3d18-torchvision_1xb32-16x2x1-50e_kinetics400-rgb.py
#   python tools/export_backbone.py work_dirs/rotnet3d_r3d18-torchvision_1xb32-16x2x1-50e_kinetics400-rgb \
#       --out r3d_18_rotnet3d.pth --format torchvision      # torchvision.models.video.r3d_18().load_state_dict
_base_ = [
    '../_base_/models/rotnet3d_r3d18-torchvision.py', '../_base_/datasets/kinetics400_rotation.py',
    '../_base_/schedules/sgd_rotation_pretrain.py', '../_base_/default_runtime.py'
]
