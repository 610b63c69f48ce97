# 3DRotNet pretraining of R3D-18 on Kinetics-400 with residual frames as input: 17 frames sampled at stride 2,
# their 16 differences (ResidualFrames, after the crop and flip), all 4 rotations of every clip. What stands still
# (a frame's layout, a letterbox, a logo) cancels out, so the rotation must be read from what moves. Fine-tune
# its export with the *-residual.py configs (a run that feeds it RGB is refused). Otherwise the RGB recipe.
_base_ = ['rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py']
clip_len, frame_interval, crop_size = 16, 2, 112
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len + 1, frame_interval=frame_interval, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='CropBorders', bars_file='data/kinetics400/kinetics400_train_borders.json'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='RandomCrop', size=crop_size),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='ResidualFrames'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='DropKeys', keys=('label', )),
    dict(type='PackActionInputs', algorithm_keys=('rotation_label', ))
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len + 1, frame_interval=frame_interval, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='CropBorders', bars_file='data/kinetics400/kinetics400_val_borders.json'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=crop_size),
    dict(type='ResidualFrames'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', algorithm_keys=('rotation_label', ))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
