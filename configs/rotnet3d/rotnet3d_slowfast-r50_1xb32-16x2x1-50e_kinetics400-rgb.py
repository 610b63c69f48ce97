# 3DRotNet pretraining with MMAction2's SlowFast-R50 instead of R3D-18: same data (16 frames at
# stride 2, 112x112), same 4-rotations-per-clip recognizer, schedule and rotation metric.
#   python tools/train.py configs/rotnet3d/rotnet3d_slowfast-r50_1xb32-16x2x1-50e_kinetics400-rgb.py
# tau = alpha = 4 fits the 16-frame clip: the slow pathway sees 4 frames, the fast one all 16.
_base_ = ['rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='ResNet3dSlowFast',
        pretrained=None,
        resample_rate=4,  # tau
        speed_ratio=4,  # alpha
        channel_ratio=8,  # beta_inv
        slow_pathway=dict(
            type='resnet3d',
            depth=50,
            pretrained=None,
            lateral=True,
            conv1_kernel=(1, 7, 7),
            dilations=(1, 1, 1, 1),
            conv1_stride_t=1,
            pool1_stride_t=1,
            inflate=(0, 0, 1, 1),
            norm_eval=False),
        fast_pathway=dict(
            type='resnet3d',
            depth=50,
            pretrained=None,
            lateral=False,
            base_channels=8,
            conv1_kernel=(5, 7, 7),
            conv1_stride_t=1,
            pool1_stride_t=1,
            norm_eval=False)),
    cls_head=dict(in_channels=2304))  # 2048 (slow) + 256 (fast), pooled and concatenated by RotationHead
# The default runtime's hooks: channels_last_3d is measured for R3D-18 only.
custom_hooks = [dict(type='RotationConfigCheckHook'), dict(type='NonFiniteLossHook'), dict(type='SkippedVideosHook')]
