# Gym99 with 1000 training samples (gym99/112x112x32_1000_examples.yaml; get_subset_data: 11 per class,
# 1089 videos), tested on gym99_val; the draw written by tools/data/gym/build_file_list.py.
_base_ = ['../severe_recognition.py']
data_root = 'data/gym/subactions'
ann_file_train = 'data/gym/annotations/gym99_train_1000samples.txt'
ann_file_test = 'data/gym/annotations/gym99_val.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
