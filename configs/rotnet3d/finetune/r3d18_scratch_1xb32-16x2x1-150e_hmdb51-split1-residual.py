# R3D-18 on HMDB51 split 1, residual frames (see r3d18_scratch_1xb32-16x2x1-150e_ucf101-split1-residual.py).
_base_ = ['r3d18_scratch_1xb32-16x2x1-150e_ucf101-split1-residual.py']
model = dict(cls_head=dict(num_classes=51))
data_root = 'data/hmdb51/videos'
ann_file_train = 'data/hmdb51/hmdb51_train_split_1_videos.txt'
ann_file_test = 'data/hmdb51/hmdb51_val_split_1_videos.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
