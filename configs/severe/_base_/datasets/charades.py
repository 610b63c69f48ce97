# Charades, multi-label (157 classes, mAP), as close to SEVERE's protocol as MMAction2 1.2.0's parts come. SEVERE
# runs it in its PySlowFast fork (SEVERE-BENCHMARK at 2f99365, action_detection_multi_label_classification/,
# configs/Charades/VSSL/32x8_112x112_R18_supervised.yaml, "yaml" below); what MMAction2 cannot do: docs/severe.md.
#   32 frames, one every 8 (NUM_FRAMES 32, SAMPLING_RATE 8; PySlowFast reads Charades' 24 fps frame folders, here
#     the videos at their own rate)
#   train: short side scaled into [256, 340] (TRAIN_JITTER_SCALES; PySlowFast draws it inverse-uniformly,
#     INV_UNIFORM_SAMPLE, MMAction2's RandomRescale uniformly), random 112 crop (TRAIN_CROP_SIZE), flip; labels of the
#     whole video (PySlowFast: the frames' labels inside the clip's window)
#   test: 10 clips x 3 crops of 112 after scaling the short side to 112 (NUM_ENSEMBLE_VIEWS 10, NUM_SPATIAL_CROPS 3,
#     TEST_CROP_SIZE 112); mean of the views' logits (PySlowFast: max of their sigmoids, ENSEMBLE_METHOD max)
#   mAP over classes, classes without a positive dropped (slowfast/utils/meters.py::get_map; MMAction2's AccMetric
#     'mean_average_precision' computes the same)
# Lists: tools/data/charades/build_file_list.py ("<id>.mp4 l1 l2 ..."; val = Charades_v1_test.csv).
dataset_type = 'RobustVideoDataset'
data_root = 'data/charades/Charades_v1_480'
ann_file_train = 'data/charades/charades_train_list_videos.txt'
ann_file_test = 'data/charades/charades_val_list_videos.txt'
multi_label = dict(multi_class=True, num_classes=157)
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=32, frame_interval=8, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='RandomRescale', scale_range=(256, 340)),
    dict(type='RandomCrop', size=112),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=32, frame_interval=8, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 112)),
    dict(type='CenterCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=32, frame_interval=8, num_clips=10, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 112)),
    dict(type='ThreeCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=16,  # TRAIN.BATCH_SIZE 16 on one GPU (SEVERE's README and scripts/jobs/train_on_charades.sh -n 1 -b 16)
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline,
        max_bad_fraction=0.01,
        min_frames=1,
        **multi_label))
val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_test,
        data_prefix=dict(video=data_root),
        pipeline=val_pipeline,
        test_mode=True,
        max_bad_fraction=0.01,
        min_frames=1,
        **multi_label))
test_dataloader = dict(
    batch_size=1,  # one video = 30 views
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
        min_frames=1,
        **multi_label))
val_evaluator = dict(type='AccMetric', metric_list=('mean_average_precision', ))  # key acc/mean_average_precision
test_evaluator = val_evaluator
