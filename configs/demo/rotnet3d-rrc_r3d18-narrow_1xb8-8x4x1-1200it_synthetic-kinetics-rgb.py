# The demo's 3DRotNet pretraining (1200 steps) with random-resized crops (MMAction2's RandomResizedCrop: a crop of
# 25-100 % of the frame's area, aspect 3/4-4/3, anywhere in it, resized to 48x48) instead of one scale and a
# 48-of-56 crop: the actor lands anywhere in the clip and at many sizes, so where it stands in the frame (low, where
# the ground is) says less about which way is up. Fine-tuned with the RGB configs, like the plain pretraining.
_base_ = ['rotnet3d_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-rgb.py']
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=4, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='RandomResizedCrop', area_range=(0.25, 1.0), aspect_ratio_range=(3 / 4, 4 / 3)),
    dict(type='Resize', scale=(48, 48), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
