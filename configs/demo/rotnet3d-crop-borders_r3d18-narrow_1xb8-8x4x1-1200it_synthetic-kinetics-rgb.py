# The demo's 3DRotNet pretraining (1200 steps) guarded against the shortcuts of real video: each clip loses its
# letterbox/pillarbox bars and the edge strip of a static overlay (a logo) before the resize and crop (CropBorders,
# detected once per video from 8 of its frames), so no bar or logo reaches the network to tell the rotation by.
_base_ = ['rotnet3d_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-rgb.py']
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=4, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='CropBorders'),
    dict(type='Resize', scale=(-1, 56)),
    dict(type='RandomCrop', size=48),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=4, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='CropBorders'),
    dict(type='Resize', scale=(-1, 56)),
    dict(type='CenterCrop', crop_size=48),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
