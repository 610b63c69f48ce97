# R3D-18 on UCF101 split 1 from random initialisation, fed residual frames (frame differences) instead of RGB: the
# fine-tuning config of a backbone pretrained on residual frames (the benchmark picks it by the export's input).
_base_ = [
    '../../_base_/models/r3d18_classifier.py', '../../_base_/datasets/ucf101_residual.py',
    '../../_base_/schedules/sgd_finetune.py', '../../_base_/default_runtime.py'
]
model = dict(cls_head=dict(num_classes=101))
