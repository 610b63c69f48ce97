# A narrow R3D-18 for CPUs (the demo; the tests and the performance suite load it from here): R3D-18's four stages of
# 3x3x3 basic blocks with 16 base channels instead of 64 (a 128-d output instead of 512) and a 3x7x7
# stem without temporal pooling.
_base_ = ['r3d18.py']
model = dict(backbone=dict(base_channels=16, conv1_kernel=(3, 7, 7), pool1_stride_t=1))
