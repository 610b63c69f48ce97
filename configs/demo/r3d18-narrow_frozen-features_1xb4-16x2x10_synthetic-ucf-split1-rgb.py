# Frozen-feature evaluation (retrieval R@k + linear probe) of a narrow R3D-18 backbone on split 1:
#   python tools/eval_frozen.py configs/demo/r3d18-narrow_frozen-features_1xb4-16x2x10_synthetic-ucf-split1-rgb.py CHECKPOINT
# The dataset lists the training videos (gallery / probe training set) and the test videos.
_base_ = ['../_base_/models/r3d18_narrow.py', '_base_/synthetic_ucf.py', '_base_/demo_runtime.py']
model = dict(type='FeatureExtractor', checkpoint=None)
test_dataloader = dict(dataset=dict(
    type='ConcatDataset', _delete_=True,
    datasets=[dict(type={{_base_.dataset_type}}, ann_file={{_base_.ann_file_train}},
                   data_prefix=dict(video={{_base_.data_root}}), pipeline={{_base_.test_pipeline}}, test_mode=True),
              dict(type={{_base_.dataset_type}}, ann_file={{_base_.ann_file_test}},
                   data_prefix=dict(video={{_base_.data_root}}), pipeline={{_base_.test_pipeline}}, test_mode=True)]))
test_evaluator = dict(type='FrozenFeatureMetric', gallery_ann_file={{_base_.ann_file_train}},
                      data_prefix={{_base_.data_root}})
test_cfg = dict(type='TestLoop')
train_dataloader = None
train_cfg = None
optim_wrapper = None
val_dataloader = None
val_cfg = None
val_evaluator = None
