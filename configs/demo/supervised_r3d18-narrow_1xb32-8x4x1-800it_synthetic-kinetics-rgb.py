# Supervised pretraining (the upper bound of the paper's comparison tables): the same backbone and budget
# as the demo's 3DRotNet pretraining, trained on the Kinetics-style set's action labels -- 32 labelled
# clips per step (= 8 clips x 4 rotations through the backbone), 800 steps. Its actor-free control is
# classification accuracy on clips without actor (chance 1/12).
_base_ = ['rotnet3d_r3d18-narrow_1xb8-8x4x1-800it_synthetic-kinetics-rgb.py']
model = dict(
    _delete_=True,
    type='Recognizer3D',
    backbone={{_base_.model.backbone}},
    data_preprocessor={{_base_.model.data_preprocessor}},
    cls_head=dict(
        type='I3DHead',
        num_classes=12,
        in_channels=128,
        spatial_type='avg',
        dropout_ratio=0.5,
        init_std=0.01,
        average_clips='prob'))
train_dataloader = dict(batch_size=32)
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
