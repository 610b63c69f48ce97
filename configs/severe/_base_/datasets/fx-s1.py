# FineGym FX-S1 (gym_set_FX_S1/112x112x32.yaml; datasets/gym_set_FX_S1.py: Gym99 labels 6..16, Floor
# Exercise leaps, jumps and hops, as 0..10), written by tools/data/gym/build_file_list.py.
_base_ = ['../severe_recognition.py']
data_root = 'data/gym/subactions'
ann_file_train = 'data/gym/annotations/fx_s1_train.txt'
ann_file_test = 'data/gym/annotations/fx_s1_val.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
