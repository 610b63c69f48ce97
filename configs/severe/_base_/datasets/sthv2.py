# Something-Something v2 (something/112x112x32.yaml: train / validation JSONs, 174 classes), the lists of
# MMAction2's tools/data/build_file_list.py sthv2 (tools/data/sthv2/build_file_list.py). SEVERE flips SSv2 clips
# too, left-right classes included; so does this recipe.
_base_ = ['../severe_recognition.py']
data_root = 'data/sthv2/videos'
ann_file_train = 'data/sthv2/sthv2_train_list_videos.txt'
ann_file_test = 'data/sthv2/sthv2_val_list_videos.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
