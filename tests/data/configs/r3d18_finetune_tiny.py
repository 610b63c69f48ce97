# The UCF101 split-1 fine-tuning benchmark config (3DRotNet init), shrunk to run in seconds on CPU: the same
# narrow R3D-18 as rotnet3d_tiny.py (so its exported backbone fits), 2 classes, 8-frame 32x32 clips.
# The 10-clip test protocol is kept. Tests set the data paths and the backbone file.
_base_ = ['../../../configs/rotnet3d/finetune/r3d18_rotnet3d-pretrained_1xb32-16x2x1-150e_ucf101-split1-rgb.py']

model = dict(backbone=dict(base_channels=8, conv1_kernel=(3, 7, 7)), cls_head=dict(num_classes=2, in_channels=64))

clip = dict(type='SampleFrames', clip_len=8, frame_interval=2)
train_pipeline = [
    dict(type='DecordInit'),
    dict(**clip, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(**clip, num_clips=10, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='CenterCrop', crop_size=32),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [dict(**clip, num_clips=1, test_mode=True) if t['type'] == 'SampleFrames' else t for t in test_pipeline]
train_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False, dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(batch_size=1, num_workers=0, persistent_workers=False, dataset=dict(pipeline=test_pipeline))

train_cfg = dict(max_epochs=1, val_interval=1)
param_scheduler = [dict(type='MultiStepLR', begin=0, end=1, by_epoch=True, milestones=[1], gamma=0.1)]
default_hooks = dict(logger=dict(interval=1))
