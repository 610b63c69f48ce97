# R3D-18 exactly as torchvision builds it (torchvision.models.video.r3d_18, the network most published
# video-SSL checkpoints use): a 3x7x7 stem with stride (1, 2, 2) and no max pooling, 3x3x3 basic blocks,
# stride 2 in time and space in stages 2-4; 512-d output. Shared by pretraining
# (rotnet3d_r3d18-torchvision.py) and fine-tuning (r3d18-torchvision_classifier.py). A torchvision-keyed
# state dict (stem.0.weight, layer1.0.conv1.0.weight, ...) loads into it converted
# (mmrot3d/models/converters/torchvision_video_resnet.py).
model = dict(
    backbone=dict(
        type='ResNet3d',
        depth=18,
        pretrained=None,  # never use this for checkpoints: it loads strict=False; see PretrainedBackboneHook
        pretrained2d=False,
        norm_eval=False,
        inflate=(1, 1, 1, 1),
        conv1_kernel=(3, 7, 7),
        conv1_stride_s=2,
        conv1_stride_t=1,
        with_pool1=False,
        with_pool2=False,
        spatial_strides=(1, 2, 2, 2),
        temporal_strides=(1, 2, 2, 2)),
    # torchvision's Kinetics-400 normalisation (its video models' transforms: mean/std of [0, 1] frames, here
    # x255), so that their published weights see the inputs they were trained on
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[110.2008, 100.63983, 95.99475],
        std=[58.14765, 56.46975, 55.332195],
        format_shape='NCTHW'))
