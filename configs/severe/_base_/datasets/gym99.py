# FineGym Gym99 (gym99/112x112x32.yaml: gym99_train / gym99_val, 99 classes), the subactions MMAction2's
# trim scripts cut and the lists of its generate_file_list.py (tools/data/gym/).
_base_ = ['../severe_recognition.py']
data_root = 'data/gym/subactions'
ann_file_train = 'data/gym/annotations/gym99_train.txt'
ann_file_test = 'data/gym/annotations/gym99_val.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
