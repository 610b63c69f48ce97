# R3D-18 on HMDB51 split 3, residual frames (see r3d18_scratch_1xb32-16x2x1-150e_ucf101-split1-residual.py).
_base_ = ['r3d18_scratch_1xb32-16x2x1-150e_hmdb51-split1-residual.py']
ann_file_train = 'data/hmdb51/hmdb51_train_split_3_videos.txt'
ann_file_test = 'data/hmdb51/hmdb51_val_split_3_videos.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test))
