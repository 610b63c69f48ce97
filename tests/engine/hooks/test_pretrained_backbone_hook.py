"""PretrainedBackboneHook takes a torchvision-keyed checkpoint as it is, converted, into the backbone that
computes torchvision's model, and refuses it for a backbone that only has the same tensors."""
from types import SimpleNamespace

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.logging import MMLogger

from mmrot3d.engine.hooks.pretrained_backbone_hook import PretrainedBackboneHook
from mmrot3d.models.backbone_io import BackboneCheckpointError
from mmrot3d.models.converters import to_torchvision
from mmrot3d.utils.shipped_files import shipped_path

TORCHVISION_R3D = 'configs/rotnet3d/finetune/r3d18-torchvision_scratch_1xb32-16x2x1-150e_ucf101-split1-rgb.py'


def runner(backbone_cfg: dict):
    model = torch.nn.Module()
    model.backbone = MODELS.build(backbone_cfg)
    return SimpleNamespace(
        model=model,
        cfg=Config(dict(model=dict(backbone=backbone_cfg))),
        logger=MMLogger.get_instance('test_pretrained_backbone_hook'),
        _has_loaded=False)


@pytest.fixture
def torchvision_file(tmp_path):
    """A torchvision-keyed r3d_18 state dict (8 base channels) and the backbone config it came from."""
    cfg = dict(Config.fromfile(shipped_path(TORCHVISION_R3D)).model.backbone.to_dict(), base_channels=8)
    torch.manual_seed(0)
    source = MODELS.build(cfg)
    torch.save(to_torchvision(source.state_dict(), 'r3d_18'), tmp_path / 'r3d_18.pth')
    return tmp_path / 'r3d_18.pth', cfg, source.state_dict()


def test_a_torchvision_checkpoint_loads_converted(torchvision_file):
    path, cfg, expected = torchvision_file
    run = runner(cfg)
    PretrainedBackboneHook(checkpoint=str(path)).before_train(run)
    assert all(torch.equal(run.model.backbone.state_dict()[k], v) for k, v in expected.items())


def test_a_backbone_with_its_tensors_but_not_its_architecture_is_refused(torchvision_file):
    path, cfg, _ = torchvision_file
    pooled = dict(cfg, with_pool1=True)  # same tensors; MMAction2's max pooling after the stem
    with pytest.raises(BackboneCheckpointError) as err:
        PretrainedBackboneHook(checkpoint=str(path)).before_train(runner(pooled))
    assert str(err.value) == (
        f"{path} holds torchvision's r3d_18, and model.backbone has its tensors but not its architecture: "
        'with_pool1=True (torchvision r3d_18: False); use the backbone of '
        'configs/_base_/models/r3d18-torchvision_classifier.py')


def test_a_backbone_pretrained_on_another_input_is_refused_before_step_1(tmp_path):
    """An export records its pretraining's input (RGB or residual frames); a run fed the other input refuses it."""
    from mmrot3d.models.backbone_io import export_backbone
    from mmrot3d.utils.checkpoint import save_checkpoint_file
    cfg = dict(type='ResNet3d', depth=18, base_channels=8, pretrained=None, pretrained2d=False, inflate=(1, 1, 1, 1))
    source = torch.nn.Module()
    source.backbone = MODELS.build(cfg)
    residual = Config(
        dict(
            model=dict(backbone=cfg),
            train_dataloader=dict(dataset=dict(pipeline=[dict(
                type='SampleFrames'), dict(type='ResidualFrames')]))))
    save_checkpoint_file({
        'state_dict': source.state_dict(),
        'meta': dict(cfg=residual.pretty_text, epoch=1)
    }, tmp_path / 'epoch_1.pth')
    meta = export_backbone(tmp_path / 'epoch_1.pth', tmp_path / 'backbone.pth')
    assert meta['input'] == 'residual(step=1)'
    rgb = runner(cfg)
    rgb.cfg.train_dataloader = dict(dataset=dict(pipeline=[dict(type='SampleFrames')]))
    with pytest.raises(
            BackboneCheckpointError,
            match=r'pretrained on residual\(step=1\) input and model.backbone is '
            r'fed rgb input.*\*-residual.py configs'):
        PretrainedBackboneHook(checkpoint=str(tmp_path / 'backbone.pth')).before_train(rgb)
    fed_residual = runner(cfg)
    fed_residual.cfg = residual
    PretrainedBackboneHook(checkpoint=str(tmp_path / 'backbone.pth')).before_train(fed_residual)
    assert all(
        torch.equal(fed_residual.model.backbone.state_dict()[k], v) for k, v in source.backbone.state_dict().items())
