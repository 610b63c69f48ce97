"""Every shipped config builds; fine-tuning variants differ only where they must; other backbones run."""
import re
from pathlib import Path

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

CONFIGS = Path(__file__).resolve().parents[1] / 'configs'
ALL = sorted(p for p in CONFIGS.rglob('*.py') if '_base_' not in p.parts)
FINETUNE = sorted((CONFIGS / 'finetune').glob('r3d18_*_split*_*.py'))


def test_the_expected_configs_exist():
    names = {p.stem for p in FINETUNE}
    assert names == {f'r3d18_{d}_split{k}_{i}' for d in ('ucf101', 'hmdb51') for k in (1, 2, 3)
                     for i in ('rotnet', 'scratch')}
    assert {'rotnet3d_kinetics', 'rotnet3d_slowfast_kinetics', 'rotnet3d_x3d_kinetics'} <= {p.stem for p in ALL}


_built = set()


@pytest.mark.parametrize('path', ALL, ids=lambda p: str(p.relative_to(CONFIGS)))
def test_every_config_builds_its_model(path):
    cfg = Config.fromfile(path)
    assert 'mmrot3d' in cfg.custom_imports['imports']
    key = repr(cfg.model.to_dict())
    if key in _built:  # the split variants share a model: build each distinct model once
        return
    model = MODELS.build(cfg.model)
    assert sum(p.numel() for p in model.parameters()) > 1e6
    _built.add(key)


def code_lines(path):
    return [ln for ln in path.read_text().splitlines() if ln.strip() and not ln.lstrip().startswith('#')]


@pytest.mark.parametrize('path', FINETUNE, ids=lambda p: p.stem)
def test_finetune_variant_is_a_small_file_with_the_paper_protocol(path):
    dataset, split, init = re.match(r'r3d18_(\w+)_split(\d)_(\w+)', path.stem).groups()
    assert len(code_lines(path)) <= 4  # split and init come from shared bases, not copies
    cfg = Config.fromfile(path)
    assert cfg.model.cls_head.num_classes == {'ucf101': 101, 'hmdb51': 51}[dataset]
    for loader, subset in (('train', 'train'), ('val', 'val'), ('test', 'val')):
        ann = cfg[f'{loader}_dataloader'].dataset.ann_file
        assert ann == f'data/{dataset}/{dataset}_{subset}_split_{split}_videos.txt'
    (sample, ) = [t for t in cfg.test_dataloader.dataset.pipeline if t['type'] == 'SampleFrames']
    assert (sample['clip_len'], sample['frame_interval'], sample['num_clips'], sample['test_mode']) == (16, 2, 10, True)
    assert dict(type='CenterCrop', crop_size=112) in cfg.test_dataloader.dataset.pipeline
    assert set(cfg.test_evaluator.metric_list) == {'top_k_accuracy', 'mean_class_accuracy'}
    assert tuple(cfg.test_evaluator.metric_options.top_k_accuracy.topk) == (1, 5)
    assert cfg.optim_wrapper.optimizer.lr == 0.01 and cfg.optim_wrapper.optimizer.weight_decay == 5e-4
    assert cfg.train_cfg.max_epochs == 150 and cfg.param_scheduler[0].milestones == [60, 120]
    hook = cfg.default_hooks.get('pretrained_backbone')
    assert (hook is not None) == (init == 'rotnet')
    if hook:
        assert hook.type == 'PretrainedBackboneHook'
    # the reliability hooks of default_runtime survive
    assert {h['type'] for h in cfg.custom_hooks} >= {'NonFiniteLossHook'}


def test_finetune_backbone_is_the_pretraining_backbone():
    pretrain = Config.fromfile(CONFIGS / 'rotnet3d_kinetics.py').model.backbone
    finetune = Config.fromfile(FINETUNE[0]).model.backbone
    assert pretrain.to_dict() == finetune.to_dict()


@pytest.mark.parametrize('name', ['rotnet3d_slowfast_kinetics', 'rotnet3d_x3d_kinetics'])
def test_other_backbones_train_with_the_rotation_recognizer(name):
    cfg = Config.fromfile(CONFIGS / f'{name}.py')
    assert cfg.model.type == 'RotationRecognizer' and cfg.model.rotate_in_model
    model = MODELS.build(cfg.model)
    clips = torch.randn(1, 1, 3, 16, 32, 32)  # 1 clip, real frame count, tiny frames
    with torch.no_grad():  # (autograd on CPU makes this 20x slower; the training path is the same)
        losses = model.loss(clips, [None])  # all 4 rotations of the clip, through backbone and head
    assert torch.isfinite(losses['loss_rotation']) and 0 <= float(losses['rotation_acc']) <= 1
