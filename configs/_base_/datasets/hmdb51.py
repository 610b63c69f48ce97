# HMDB51, official split 1, as tools/data/hmdb51/build_file_list.py writes it (paths relative to
# data/hmdb51/videos/). Same pipelines and protocol as UCF101 (ucf101.py); only the files differ.
# hmdb51_split{2,3}.py switch the split.
_base_ = ['ucf101.py']
data_root = 'data/hmdb51/videos'
split = 1
ann_file_train = f'data/hmdb51/hmdb51_train_split_{split}_videos.txt'
ann_file_test = f'data/hmdb51/hmdb51_val_split_{split}_videos.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
