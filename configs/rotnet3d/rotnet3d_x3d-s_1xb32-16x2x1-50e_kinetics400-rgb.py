# 3DRotNet pretraining with MMAction2's X3D-S instead of R3D-18: same data (16 frames at stride 2,
# 112x112), same 4-rotations-per-clip recognizer, schedule and rotation metric.
#   python tools/train.py configs/rotnet3d/rotnet3d_x3d-s_1xb32-16x2x1-50e_kinetics400-rgb.py
_base_ = ['rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py']
model = dict(
    backbone=dict(_delete_=True, type='X3D', gamma_w=1, gamma_b=2.25, gamma_d=2.2),
    cls_head=dict(in_channels=432))  # X3D-S stage-5 channels
# The default runtime's hooks: channels_last_3d is measured for R3D-18 only.
custom_hooks = [dict(type='RotationConfigCheckHook'), dict(type='NonFiniteLossHook'), dict(type='SkippedVideosHook')]
