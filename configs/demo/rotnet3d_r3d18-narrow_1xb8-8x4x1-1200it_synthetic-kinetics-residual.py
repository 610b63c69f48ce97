# The demo's 3DRotNet pretraining (1200 steps) with residual frames as input: 9 frames every 4th (the last one
# repeated where a 32-frame clip ends), their 8 differences (ResidualFrames, after the crop and flip). What stands
# still cancels out: the rotation must be read from motion. Its fine-tuning config:
# r3d18-narrow_1xb8-8x4x1-2000it_synthetic-ucf-split1-residual.py.
_base_ = ['rotnet3d_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-rgb.py']
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
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
