# R3D-18 action classifier for fine-tuning: MMAction2's Recognizer3D + I3DHead on exactly the
# backbone of configs/_base_/models/rotnet3d_r3d18.py, so an exported 3DRotNet backbone fits it.
# Set model.cls_head.num_classes per dataset.
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet3d',
        depth=18,
        pretrained=None,  # never use this for our exports: it loads strict=False; see PretrainedBackboneHook
        pretrained2d=False,
        norm_eval=False,
        inflate=(1, 1, 1, 1),
        conv1_kernel=(7, 7, 7),
        conv1_stride_t=1,
        pool1_stride_t=2,
        spatial_strides=(1, 2, 2, 2),
        temporal_strides=(1, 2, 2, 2)),
    cls_head=dict(
        type='I3DHead',
        num_classes=101,
        in_channels=512,
        spatial_type='avg',
        dropout_ratio=0.5,
        init_std=0.01,
        average_clips='prob'),  # video score = mean of the clip softmaxes (10-clip test)
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
