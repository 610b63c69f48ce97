# 3DRotNet: R3D-18 (Hara et al.) learns to predict which of 4 rotations was applied to a clip.
model = dict(
    type='RotationRecognizer',
    # The paper's recipe: all four rotations of every clip in the same step. Building them in the
    # model decodes each clip once instead of four times (see VideoRotation for the pipeline way).
    rotate_in_model=True,
    angles=(0, 90, 180, 270),
    backbone=dict(
        type='ResNet3d',
        depth=18,
        pretrained=None,
        pretrained2d=False,
        norm_eval=False,
        inflate=(1, 1, 1, 1),
        conv1_kernel=(7, 7, 7),
        conv1_stride_t=1,
        pool1_stride_t=2,
        spatial_strides=(1, 2, 2, 2),
        temporal_strides=(1, 2, 2, 2)),
    cls_head=dict(type='RotationHead', num_classes=4, in_channels=512, hidden_channels=64),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
