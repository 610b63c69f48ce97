# UCF101, official split 3 (see ucf101.py).
_base_ = ['ucf101.py']
split = 3
ann_file_train = f'data/ucf101/ucf101_train_split_{split}_videos.txt'
ann_file_test = f'data/ucf101/ucf101_val_split_{split}_videos.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test))
