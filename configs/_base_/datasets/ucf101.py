# UCF101, official split 1, as tools/data/ucf101/build_file_list.py writes it (paths relative to
# the UCF-101/ folder of the release). ucf101_split{2,3}.py switch the split.
# RobustVideoDataset: a video that cannot be read during training (e.g. a network file system hiccup) is
# skipped, named (LIST:LINE: path: reason) and counted; more than max_bad_fraction of bad entries stops
# the run. The test set must not change: its first unreadable video stops the test, named. Short videos
# are looped by SampleFrames, as MMAction2 does, so every official video counts (min_frames=1).
# tools/check_dataset.py (and tools/benchmark.py before any job) finds every bad file beforehand.
dataset_type = 'RobustVideoDataset'
max_bad_fraction = 0.01
data_root = 'data/ucf101/UCF-101'
split = 1
ann_file_train = f'data/ucf101/ucf101_train_split_{split}_videos.txt'
ann_file_test = f'data/ucf101/ucf101_val_split_{split}_videos.txt'

clip_len, frame_interval, crop_size = 16, 2, 112  # as in pretraining
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=frame_interval, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='RandomCrop', size=crop_size),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
# Validation during training: one centre clip per video (cheap); the test protocol is below.
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=frame_interval, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=crop_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
# Test: 10 uniformly spaced clips per video, centre crop; the video score averages the clip scores.
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=frame_interval, num_clips=10, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=crop_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline,
        max_bad_fraction=max_bad_fraction,
        min_frames=1))
val_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_test,
        data_prefix=dict(video=data_root),
        pipeline=val_pipeline,
        test_mode=True,
        max_bad_fraction=max_bad_fraction,
        min_frames=1))
test_dataloader = dict(
    batch_size=1,  # one video = 10 clips
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_test,
        data_prefix=dict(video=data_root),
        pipeline=test_pipeline,
        test_mode=True,
        max_bad_fraction=0.0,
        min_frames=1))

# top-1 / top-5 accuracy and mean class accuracy: keys acc/top1, acc/top5, acc/mean1.
val_evaluator = dict(
    type='AccMetric',
    metric_list=('top_k_accuracy', 'mean_class_accuracy'),
    metric_options=dict(top_k_accuracy=dict(topk=(1, 5))))
test_evaluator = val_evaluator
