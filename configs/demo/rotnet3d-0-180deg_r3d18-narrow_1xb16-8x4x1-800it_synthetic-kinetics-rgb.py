# Ablation: the rotation set {0, 180} degrees instead of {0, 90, 180, 270}, at equal compute: 16 clips x 2
# rotations = 32 clips through the backbone per step (the demo: 8 clips x 4 rotations). Chance is 50 %.
_base_ = ['rotnet3d_r3d18-narrow_1xb8-8x4x1-800it_synthetic-kinetics-rgb.py']
model = dict(angles=(0, 180), cls_head=dict(num_classes=2))
train_dataloader = dict(batch_size=16)
val_evaluator = dict(type='RotationAccuracy', angles=(0, 180))  # names the per-angle accuracies
test_evaluator = val_evaluator
