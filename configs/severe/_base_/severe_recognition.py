# SEVERE's fine-tuning protocol for action recognition (Thoker et al., "How Severe is Benchmark-Sensitivity in Video
# Self-Supervised Learning?", ECCV 2022), in MMAction2 1.2.0's transforms. Every number from SEVERE's repository,
# github.com/fmthoker/SEVERE-BENCHMARK at 2f99365, under action_recognition/ ("yaml": the dataset's
# configs/benchmark/<dataset>/112x112x32.yaml); what differs and why: docs/severe.md.
#   32 frames at 16 fps: clip_duration 2.0 x video_fps 16 (yaml; num_frames = int(fps * duration) in
#     utils/eval_utils.py::build_dataloader), frames picked by time (utils/ioutils/av_wrappers.py): SampleFrames'
#     target_fps picks them the same way from any source frame rate; a shorter video loops (pad_missing)
#   train: a random 2 s window (datasets/video_db.py::_sample_snippet); RandomResizedCrop scale (0.08, 1), ratio
#     (3/4, 4/3) of the full frame, to 112x112; horizontal flip; ColorJitter(0.4, 0.4, 0.4, 0.2) applied to every
#     clip (transform msc+color, min_area 0.08, color [0.4, 0.4, 0.4, 0.2], crop_size 112 in the yaml;
#     datasets/preprocessing.py::VideoPrep_MSC_CJ)
#   test: short side to int(112 / 0.875) = 128, centre crop 112 (VideoPrep_MSC_CJ, augment=False); 10 clips spread
#     over the video (test_dense: mode video, clips_per_video 10), softmax scores averaged (finetune.py::run_phase)
#   ImageNet mean/std normalisation (normalize: true; preprocessing.py): set by each config's data_preprocessor
#   batch 32 in all, one process (batch_size 32, distributed false: nn.DataParallel), drop_last (eval_utils.py)
# Schedules (Adam, epochs, milestones): _base_/schedules/.
dataset_type = 'RobustVideoDataset'  # names a video that breaks in training; a bad test video stops (ucf101.py)
max_bad_fraction = 0.01
clip_len, target_fps, crop_size = 32, 16, 112
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=1, num_clips=1, target_fps=target_fps),
    dict(type='DecordDecode'),
    dict(type='RandomResizedCrop', area_range=(0.08, 1.0), aspect_ratio_range=(3 / 4, 4 / 3)),
    dict(type='Resize', scale=(crop_size, crop_size), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    # hue 0.2 of a turn (torchvision's adjust_hue) is 0.2 * 180 / 255 here: MMAction2 shifts OpenCV's 0..179 hue
    # by int(factor * 255)
    dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4, hue=0.2 * 180 / 255),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
# Validation while training: one centre clip per video, to watch the run (SEVERE's per-epoch test phase also
# picks its best epoch on the test split; the benchmark tests the last checkpoint instead, docs/severe.md).
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=1, num_clips=1, target_fps=target_fps, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=crop_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=1, num_clips=10, target_fps=target_fps, test_mode=True),
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
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, pipeline=train_pipeline, max_bad_fraction=max_bad_fraction, min_frames=1))
val_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type, pipeline=val_pipeline, test_mode=True, max_bad_fraction=max_bad_fraction, min_frames=1))
test_dataloader = dict(
    batch_size=1,  # one video = 10 clips
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, pipeline=test_pipeline, test_mode=True, max_bad_fraction=0.0, min_frames=1))
# top-1 (SEVERE's Video@1 with the 10 clips above), top-5 and mean class accuracy: acc/top1, acc/top5, acc/mean1
val_evaluator = dict(
    type='AccMetric',
    metric_list=('top_k_accuracy', 'mean_class_accuracy'),
    metric_options=dict(top_k_accuracy=dict(topk=(1, 5))))
test_evaluator = val_evaluator
