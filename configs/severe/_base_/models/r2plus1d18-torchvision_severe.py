# torchvision's R(2+1)D-18 (r2plus1d_18), SEVERE's network, set up as SEVERE fine-tunes: the pooled 512-d features
# straight into one linear layer (finetune.py: model.fc = nn.Linear(512, n_classes), no dropout) and ImageNet's
# mean/std, which SEVERE gives every checkpoint (datasets/preprocessing.py: Normalize(mean=[0.485, 0.456, 0.406],
# std=[0.229, 0.224, 0.225]) on frames in [0, 1]; x255 here). SEVERE-BENCHMARK at 2f99365, action_recognition/.
_base_ = ['../../../_base_/models/r2plus1d18-torchvision_classifier.py']
model = dict(
    cls_head=dict(dropout_ratio=0.0),
    data_preprocessor=dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375]))
