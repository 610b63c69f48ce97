# rotnet3d_tiny.py with each rank recording what it trained on and its final weights
# (TrainingAuditHook), for the multi-process test.
_base_ = ['rotnet3d_tiny.py']
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=2, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', algorithm_keys=('rotation_label', ), meta_keys=('img_shape', 'filename'))
]
train_dataloader = dict(batch_size=2, dataset=dict(pipeline=train_pipeline))
default_hooks = dict(audit=dict(type="TrainingAuditHook"))
