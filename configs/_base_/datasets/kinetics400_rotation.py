# Kinetics-400 in MMAction2's standard layout, for rotation pretraining (labels are not used).
# RobustVideoDataset: a scraped video that is missing, truncated, corrupt or too short is skipped and
# logged once instead of stopping the run; more than max_bad_fraction of bad entries stops it.
# Run tools/check_dataset.py on a list first to see (and drop) its bad entries.
dataset_type = 'RobustVideoDataset'
max_bad_fraction = 0.01
# Lists from tools/data/kinetics400/build_file_list.py hold paths like train/<label>/<clip>.mp4
# relative to the folder that holds train/ and val/.
data_root = 'data/kinetics400/videos'
data_root_val = data_root
ann_file_train = 'data/kinetics400/kinetics400_train_list_videos.txt'
ann_file_val = 'data/kinetics400/kinetics400_val_list_videos.txt'

clip_len, frame_interval, crop_size = 16, 2, 112  # 16 frames, every 2nd of a 32-frame window
# Letterbox/pillarbox bars and logos tell a rotation by themselves (a bar turns from horizontal to vertical): every
# video loses them before the resize and crop (CropBorders), as measured once per video by
#   python tools/check_dataset.py LIST --data-prefix data/kinetics400/videos --borders FILE
# for the training and the validation list (the crop's cost, once listed: docs/performance.md).
borders_train = 'data/kinetics400/kinetics400_train_borders.json'
borders_val = 'data/kinetics400/kinetics400_val_borders.json'
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=frame_interval, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='CropBorders', bars_file=borders_train),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='RandomCrop', size=crop_size),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    # the class label is unused here and would cost a shared-memory hand-over per clip (docs/performance.md)
    dict(type='DropKeys', keys=('label', )),
    dict(type='PackActionInputs', algorithm_keys=('rotation_label', ))
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=frame_interval, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='CropBorders', bars_file=borders_val),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=crop_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', algorithm_keys=('rotation_label', ))
]

train_dataloader = dict(
    batch_size=32,  # clips; x4 rotations = 128 rotated clips per step, as in the paper
    num_workers=8,
    persistent_workers=True,
    # a batch's 32 clips handed over in one shared-memory block, not 32: less work for the training process,
    # which also drives the GPU (docs/performance.md); the same clips arrive
    collate_fn=dict(type='clip_batch_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline,
        max_bad_fraction=max_bad_fraction))
val_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root_val),
        pipeline=val_pipeline,
        test_mode=True,
        max_bad_fraction=max_bad_fraction))
test_dataloader = val_dataloader

# Validation reports the pretext's rotation accuracy, overall and per angle.
val_evaluator = dict(type='RotationAccuracy')
test_evaluator = val_evaluator
