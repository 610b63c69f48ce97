# 3DRotNet: R3D-18 learns to predict which of 4 rotations was applied to a clip.
_base_ = ['r3d18.py']
model = dict(
    type='RotationRecognizer',
    # The paper's recipe: all four rotations of every clip in the same step. Building them in the
    # model decodes each clip once instead of four times (see VideoRotation for the pipeline way).
    rotate_in_model=True,
    angles=(0, 90, 180, 270),
    cls_head=dict(type='RotationHead', num_classes=4, in_channels=512, hidden_channels=64))
