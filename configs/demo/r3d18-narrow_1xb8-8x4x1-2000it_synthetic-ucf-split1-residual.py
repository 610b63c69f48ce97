# The demo's fine-tuning (r3d18-narrow_1xb8-8x4x1-2000it_synthetic-ucf-split1-rgb.py) with residual frames as
# input, as the backbone pretrained on them saw them
# (rotnet3d_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-residual.py).
_base_ = ['r3d18-narrow_1xb8-8x4x1-2000it_synthetic-ucf-split1-rgb.py']
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=9, frame_interval=4, num_clips=1, out_of_bound_opt='repeat_last'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 56)),
    dict(type='RandomCrop', size=48),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='ResidualFrames'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames', clip_len=9, frame_interval=4, num_clips=1, test_mode=True, out_of_bound_opt='repeat_last'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 56)),
    dict(type='CenterCrop', crop_size=48),
    dict(type='ResidualFrames'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames', clip_len=9, frame_interval=4, num_clips=1, test_mode=True, out_of_bound_opt='repeat_last'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 56)),
    dict(type='CenterCrop', crop_size=48),
    dict(type='ResidualFrames'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', meta_keys=('img_shape', 'filename'))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
