# UCF101 with 1000 training samples (ucf/112x112x32-fold1_1000_examples.yaml: num_of_examples 1000,
# drawn by datasets/utils.py::get_subset_data: 10 per class, 1010 videos), tested on testlist01; the draw written
# by tools/data/ucf101/build_severe_subset.py, video for video.
_base_ = ['../severe_recognition.py']
data_root = 'data/ucf101/UCF-101'
ann_file_train = 'data/ucf101/ucf101_train_split_1_1000samples_videos.txt'
ann_file_test = 'data/ucf101/ucf101_val_split_1_videos.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
