# 3DRotNet on torchvision's R3D-18 (r3d18-torchvision.py), as rotnet3d_r3d18.py on ours: the network
# published video-SSL checkpoints use, exportable in torchvision's format
# (tools/export_backbone.py --format torchvision).
_base_ = ['r3d18-torchvision.py']
model = dict(
    type='RotationRecognizer',
    rotate_in_model=True,
    angles=(0, 90, 180, 270),
    cls_head=dict(type='RotationHead', num_classes=4, in_channels=512, hidden_channels=64))
