# UCF101 split 1, as SEVERE fine-tunes it (ucf/112x112x32-fold1.yaml: trainlist01 / testlist01, 101
# classes); lists of tools/data/ucf101/build_file_list.py (labels: classInd index - 1, SEVERE's too).
_base_ = ['../severe_recognition.py']
data_root = 'data/ucf101/UCF-101'
ann_file_train = 'data/ucf101/ucf101_train_split_1_videos.txt'
ann_file_test = 'data/ucf101/ucf101_val_split_1_videos.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
