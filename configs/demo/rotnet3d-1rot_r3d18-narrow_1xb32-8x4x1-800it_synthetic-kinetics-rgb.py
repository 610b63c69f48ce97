# Ablation: ONE random rotation per clip (the pipeline recipe of 3DRotNet re-implementations) instead of all
# four in the same step, at equal compute: 32 clips x 1 rotation = 32 clips through the backbone per step,
# as 8 clips x 4 rotations in the demo (which decodes 4x fewer clips). Validation: all 4 rotations.
_base_ = ['rotnet3d_r3d18-narrow_1xb8-8x4x1-800it_synthetic-kinetics-rgb.py']
model = dict(rotate_in_model=False)
crop = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=4, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 56))
]
train_pipeline = crop + [
    dict(type='RandomCrop', size=48),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='VideoRotation', mode='random'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', algorithm_keys=('rotation_label', ))
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=4, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 56)),
    dict(type='CenterCrop', crop_size=48),
    dict(type='VideoRotation', mode='all'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', algorithm_keys=('rotation_label', ))
]
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=val_pipeline))
