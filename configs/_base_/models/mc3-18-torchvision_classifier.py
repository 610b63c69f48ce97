# torchvision's MC3-18 (torchvision.models.video.mc3_18) as a classifier: R3D-18's stem and first stage,
# then 1x3x3 convs and no temporal stride in stages 2-4.
_base_ = ['r3d18-torchvision_classifier.py']
model = dict(backbone=dict(inflate=(1, 0, 0, 0), temporal_strides=(1, 1, 1, 1)))
