# HMDB51, official split 2 (see hmdb51.py).
_base_ = ['hmdb51.py']
split = 2
ann_file_train = f'data/hmdb51/hmdb51_train_split_{split}_videos.txt'
ann_file_test = f'data/hmdb51/hmdb51_val_split_{split}_videos.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test))
