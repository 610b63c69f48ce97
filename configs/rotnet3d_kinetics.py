# 3DRotNet pretraining on Kinetics-400 (Jing et al., arXiv:1811.11387):
#   python tools/train.py configs/rotnet3d_kinetics.py
_base_ = [
    '_base_/models/rotnet3d_r3d18.py', '_base_/datasets/kinetics400_rotation.py',
    '_base_/schedules/sgd_rotation_pretrain.py', '_base_/default_runtime.py'
]
