# torchvision's R3D-18 action classifier for fine-tuning: MMAction2's Recognizer3D + I3DHead (as
# r3d18_classifier.py) on the backbone of r3d18-torchvision.py. Set model.cls_head.num_classes per dataset.
_base_ = ['r3d18-torchvision.py']
model = dict(
    type='Recognizer3D',
    cls_head=dict(
        type='I3DHead',
        num_classes=101,
        in_channels=512,
        spatial_type='avg',
        dropout_ratio=0.5,
        init_std=0.01,
        average_clips='prob'))  # video score = mean of the clip softmaxes (10-clip test)
