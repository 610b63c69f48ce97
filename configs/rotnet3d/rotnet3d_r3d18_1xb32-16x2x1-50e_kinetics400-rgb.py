# 3DRotNet pretraining of R3D-18 on Kinetics-400 (Jing et al., arXiv:1811.11387): 32 clips per step, each
# 16 frames at stride 2 of a 32-frame window, all 4 rotations of every clip; SGD lr 0.1 for 50 epochs.
_base_ = [
    '../_base_/models/rotnet3d_r3d18.py', '../_base_/datasets/kinetics400_rotation.py',
    '../_base_/schedules/sgd_rotation_pretrain.py', '../_base_/default_runtime.py'
]
# channels_last_3d on a GPU, where R3D-18's step is 1.44x faster with --amp (1.28x in fp32; docs/gpu/gpu.md);
# not on a CPU, where full-width R3D-18 is 0.91x (docs/performance.md). The default runtime's hooks, plus it.
custom_hooks = [
    dict(type='RotationConfigCheckHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='SkippedVideosHook'),
    dict(type='ChannelsLast3dHook', devices=('cuda', )),
]
