# FineGym Gym288 (gym288/112x112x32.yaml: gym288_train / gym288_val, 288 classes), written by
# tools/data/gym/build_file_list.py from FineGym's Gym288 element lists (annotations/gym288_{train,val}_org.txt).
_base_ = ['../severe_recognition.py']
data_root = 'data/gym/subactions'
ann_file_train = 'data/gym/annotations/gym288_train.txt'
ann_file_test = 'data/gym/annotations/gym288_val.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_test, data_prefix=dict(video=data_root)))
