# R3D-18 (Hara et al.): conv1 7x7x7 with stride (1, 2, 2), 3x3x3 basic blocks, 512-d output.
# The one backbone definition shared by pretraining (rotnet3d_r3d18.py) and fine-tuning
# (r3d18_classifier.py), so an exported 3DRotNet backbone always fits the classifier.
model = dict(
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
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
