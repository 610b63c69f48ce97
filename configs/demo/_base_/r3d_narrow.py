# A narrow R3D-18 for 2-core CPUs: the paper's block structure (3x3x3 basic blocks, 4 stages),
# 16 base channels instead of 64 (128-d output instead of 512), a 3x7x7 stem.
backbone = dict(
    type='ResNet3d', depth=18, pretrained=None, pretrained2d=False, norm_eval=False, inflate=(1, 1, 1, 1),
    conv1_kernel=(3, 7, 7), conv1_stride_t=1, pool1_stride_t=1, base_channels=16,
    spatial_strides=(1, 2, 2, 2), temporal_strides=(1, 2, 2, 2))
feat_dim = 128
data_preprocessor = dict(type='ActionDataPreprocessor', mean=[123.675, 116.28, 103.53],
                         std=[58.395, 57.12, 57.375], format_shape='NCTHW')
