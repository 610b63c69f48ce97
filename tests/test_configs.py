"""Every shipped config builds; fine-tuning variants differ only where they must; other backbones run."""
import ast
import re

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

from mmrot3d.utils.shipped_files import shipped_path

CONFIGS = shipped_path('configs')
ALL = sorted(p for p in CONFIGS.rglob('*.py') if '_base_' not in p.parts)
FINETUNE = sorted((CONFIGS / 'rotnet3d' / 'finetune').glob('r3d18_*.py'))
TORCHVISION_FINETUNE = sorted((CONFIGS / 'rotnet3d' / 'finetune').glob('*-torchvision_*.py'))
# MMAction2's convention:
# [{algorithm}_]{backbone}_[{pretraining}_]{N}xb{B}-{clip}x{interval}x{clips}-{schedule}_{data}-{modality}: rgb, or
# residual (frame differences: ResidualFrames)
NAME = re.compile(r'^(?:[a-z0-9-]+_){1,3}\d+xb\d+-\d+x\d+x\d+-\d+(?:e|it)_[a-z0-9-]+-(?:rgb|residual)$')


def test_the_expected_configs_exist():
    assert {p.stem
            for p in FINETUNE} == {
                f'r3d18_{init}_1xb32-16x2x1-150e_{d}-split{k}-rgb'
                for d in ('ucf101', 'hmdb51')
                for k in (1, 2, 3)
                for init in ('rotnet3d-pretrained', 'scratch')
            } | {
                f'r3d18_{init}_1xb32-16x2x1-150e_{d}-split{k}-residual'
                for d in ('ucf101', 'hmdb51')
                for k in (1, 2, 3)
                for init in ('rotnet3d-pretrained', 'scratch')
            }
    assert {p.stem
            for p in (CONFIGS / 'rotnet3d').glob('*.py')} == {
                f'rotnet3d_{backbone}_1xb32-16x2x1-50e_kinetics400-rgb'
                for backbone in ('r3d18', 'r3d18-device-aug', 'r3d18-torchvision', 'slowfast-r50', 'x3d-s')
            } | {'rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-residual'}
    assert {p.stem
            for p in TORCHVISION_FINETUNE} == {
                f'{arch}-torchvision_scratch_1xb32-16x2x1-150e_{d}-split{k}-rgb'
                for arch in ('r3d18', 'mc3-18', 'r2plus1d18')
                for d in ('ucf101', 'hmdb51')
                for k in (1, 2, 3)
            }
    assert (CONFIGS / 'rotnet3d_kinetics.py').is_file()  # the README's entry point


@pytest.mark.parametrize(
    'path', [p for p in ALL if p.parent != CONFIGS and 'frozen-features' not in p.stem], ids=lambda p: p.stem)
def test_config_names_follow_mmaction2(path):
    assert NAME.match(path.stem), path.name


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


def statements(path):
    return ast.parse(path.read_text()).body


@pytest.mark.parametrize('path', FINETUNE, ids=lambda p: p.stem)
def test_finetune_variant_is_a_small_file_with_the_paper_protocol(path):
    init, dataset, split, modality = re.match(r'r3d18_([\w-]+)_1xb32-16x2x1-150e_(\w+)-split(\d)-(rgb|residual)',
                                              path.stem).groups()
    assert len(statements(path)) <= (3 if modality == 'rgb' else 7)  # split and init from shared bases, not copies
    cfg = Config.fromfile(path)
    assert cfg.model.cls_head.num_classes == {'ucf101': 101, 'hmdb51': 51}[dataset]
    for loader, subset in (('train', 'train'), ('val', 'val'), ('test', 'val')):
        ann = cfg[f'{loader}_dataloader'].dataset.ann_file
        assert ann == f'data/{dataset}/{dataset}_{subset}_split_{split}_videos.txt'
    (sample, ) = [t for t in cfg.test_dataloader.dataset.pipeline if t['type'] == 'SampleFrames']
    frames = 16 if modality == 'rgb' else 17  # residual: 16 differences of 17 frames
    assert (sample['clip_len'], sample['frame_interval'], sample['num_clips'], sample['test_mode']) == (frames, 2, 10,
                                                                                                        True)
    residual = [t for t in cfg.test_dataloader.dataset.pipeline if t['type'] == 'ResidualFrames']
    assert len(residual) == (modality == 'residual')
    assert dict(type='CenterCrop', crop_size=112) in cfg.test_dataloader.dataset.pipeline
    assert set(cfg.test_evaluator.metric_list) == {'top_k_accuracy', 'mean_class_accuracy'}
    assert tuple(cfg.test_evaluator.metric_options.top_k_accuracy.topk) == (1, 5)
    assert cfg.optim_wrapper.optimizer.lr == 0.01 and cfg.optim_wrapper.optimizer.weight_decay == 5e-4
    assert cfg.train_cfg.max_epochs == 150 and cfg.param_scheduler[0].milestones == [60, 120]
    hook = cfg.default_hooks.get('pretrained_backbone')
    assert (hook is not None) == (init == 'rotnet3d-pretrained')
    if hook:
        assert hook.type == 'PretrainedBackboneHook'
    # the reliability hooks of default_runtime survive
    assert {h['type'] for h in cfg.custom_hooks} >= {'NonFiniteLossHook'}


def test_finetune_backbone_is_the_pretraining_backbone():
    pretrain = Config.fromfile(CONFIGS / 'rotnet3d_kinetics.py').model.backbone
    finetune = Config.fromfile(FINETUNE[0]).model.backbone
    assert pretrain.to_dict() == finetune.to_dict()
    torchvision = Config.fromfile(CONFIGS / 'rotnet3d' /
                                  'rotnet3d_r3d18-torchvision_1xb32-16x2x1-50e_kinetics400-rgb.py')
    finetune = Config.fromfile(CONFIGS / 'rotnet3d' / 'finetune' /
                               'r3d18-torchvision_scratch_1xb32-16x2x1-150e_ucf101-split1-rgb.py')
    assert torchvision.model.backbone.to_dict() == finetune.model.backbone.to_dict()
    assert torchvision.model.data_preprocessor.to_dict() == finetune.model.data_preprocessor.to_dict()


@pytest.mark.parametrize('path', TORCHVISION_FINETUNE, ids=lambda p: p.stem)
def test_torchvision_architectures_finetune_with_the_same_protocol(path):
    arch, dataset, split = re.match(r'([\w-]+)-torchvision_scratch_1xb32-16x2x1-150e_(\w+)-split(\d)-rgb',
                                    path.stem).groups()
    ours = Config.fromfile(CONFIGS / 'rotnet3d' / 'finetune' / path.name.replace(f'{arch}-torchvision_', 'r3d18_'))
    cfg = Config.fromfile(path)
    assert len(statements(path)) <= 2
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader', 'optim_wrapper', 'param_scheduler',
                'train_cfg', 'test_evaluator', 'default_hooks', 'custom_hooks'):
        assert cfg[key] == ours[key], key
    assert cfg.model.cls_head.to_dict() == ours.model.cls_head.to_dict()
    assert cfg.model.backbone.type == ('TorchvisionR2Plus1d' if arch == 'r2plus1d18' else 'ResNet3d')
    assert cfg.model.data_preprocessor.mean == [110.2008, 100.63983, 95.99475]  # torchvision's (x255)


@pytest.mark.parametrize('backbone', ['slowfast-r50', 'x3d-s'])
def test_other_backbones_train_with_the_rotation_recognizer(backbone):
    """The shipped config's model, full width: the loss of all 4 rotations of a clip reaches every backbone
    weight, and one optimizer step on it lowers it."""
    cfg = Config.fromfile(CONFIGS / 'rotnet3d' / f'rotnet3d_{backbone}_1xb32-16x2x1-50e_kinetics400-rgb.py')
    assert cfg.model.type == 'RotationRecognizer' and cfg.model.rotate_in_model
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()  # as the Runner does (backbones freeze their frozen stages here)
    clips = torch.randn(1, 1, 3, 16, 32, 32)  # 1 clip, real frame count, tiny frames
    losses = model.loss(clips, [None])  # all 4 rotations of the clip, through backbone and head
    assert torch.isfinite(losses['loss_rotation']) and 0 <= float(losses['rotation_acc']) <= 1
    losses['loss_rotation'].backward()
    weights = list(model.backbone.named_parameters())
    assert all(p.requires_grad and p.grad is not None for _, p in weights)  # nothing frozen, all reached
    name, stem = weights[0]
    assert stem.grad.abs().sum() > 0, name  # the gradient reaches the first layer
    torch.optim.SGD(model.parameters(), lr=0.1).step()
    with torch.no_grad():
        after = model.loss(clips, [None])['loss_rotation']
    # measured: 1.390 -> 1.357 (SlowFast), 1.3865 -> 1.3847 (X3D)
    assert after < losses['loss_rotation'] - 1e-4, (float(losses['loss_rotation']), float(after))
