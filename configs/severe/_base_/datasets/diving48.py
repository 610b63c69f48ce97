# Diving48 V2 (diving48/112x112x32.yaml: Diving48_V2_train / Diving48_V2_test, 48 classes), the lists of
# MMAction2's tools/data/build_file_list.py diving48 (tools/data/diving48/build_file_list.py).
_base_ = ['../severe_recognition.py']
data_root = 'data/diving48/videos'
ann_file_train = 'data/diving48/diving48_train_list_videos.txt'
ann_file_test = 'data/diving48/diving48_val_list_videos.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
