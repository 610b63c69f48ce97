# The R3D-18 recipe beside it with every augmentation after decoding on the GPU: the loader's workers
# only decode and resize; CropFlipDataPreprocessor crops (112, as RandomCrop) and flips (0.5, as Flip) the
# uint8 clips on the device and normalises them, and the model makes the four rotations.
# Same crops and flips as the base config; the CPU cost per sample is in docs/performance.md.
#   python tools/train.py configs/rotnet3d/rotnet3d_r3d18-device-aug_1xb32-16x2x1-50e_kinetics400-rgb.py
_base_ = ['rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py']

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=16, frame_interval=2, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='CropBorders', bars_file='data/kinetics400/kinetics400_train_borders.json'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='DropKeys', keys=('label', )),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
model = dict(data_preprocessor=dict(type='CropFlipDataPreprocessor', crop_size=112, flip_ratio=0.5))
