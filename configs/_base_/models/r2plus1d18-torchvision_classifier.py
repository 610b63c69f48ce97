# torchvision's R(2+1)D-18 (torchvision.models.video.r2plus1d_18) as a classifier: every 3x3x3 conv of
# R3D-18 factored into 1x3x3 + 3x1x1 with torchvision's middle widths (mmrot3d's TorchvisionR2Plus1d;
# MMAction2's ResNet2Plus1d computes other widths and max-pools after the stem).
_base_ = ['r3d18-torchvision_classifier.py']
model = dict(backbone=dict(type='TorchvisionR2Plus1d'))
