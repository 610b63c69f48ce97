"""Activation maps and Grad-CAM on the backbones the plugin supports; 2D and transformer backbones."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from small_backbones import narrow_r3d, narrow_slowfast

from mmrot3d.visualization import activation_maps, gradcam_maps, normalize_per_frame, resolve_stage

PREPROCESSOR = dict(type='ActionDataPreprocessor', format_shape='NCTHW')
BACKBONES = {
    # name: (backbone, its default stage)
    'R3D-18': (narrow_r3d(), 'layer3'),
    'R(2+1)D': (dict(
        narrow_r3d(),
        type='ResNet2Plus1d',
        conv_cfg=dict(type='Conv2plus1d'),
        norm_cfg=dict(type='BN3d'),
        zero_init_residual=False), 'layer3'),
    'X3D': (dict(type='X3D', gamma_w=1, gamma_b=2.25, gamma_d=1), 'layer3'),
    'SlowFast': (narrow_slowfast(), 'slow_path.layer3'),
}


def _clips(n=2, frames=8, height=32, width=32):
    return torch.randn(n, 1, 3, frames, height, width, generator=torch.Generator().manual_seed(0))


@pytest.mark.parametrize('name', list(BACKBONES))
def test_3d_backbones_give_one_map_per_input_frame(name):
    """On frames wider than high (a height/width swap shows): each frame's map is the default stage's output,
    read by a hook of the test's own, summed (or maxed) over channels and upsampled trilinearly to the frames."""
    config, stage = BACKBONES[name]
    torch.manual_seed(0)
    backbone = MODELS.build(config)
    backbone.eval()  # mmaction's ResNet3d.train() returns None, so no chaining
    clips = _clips(height=32, width=48)
    outputs = []
    handle = backbone.get_submodule(stage).register_forward_hook(lambda module, args, out: outputs.append(out))
    with torch.no_grad():
        backbone(clips.flatten(0, 1))
    handle.remove()
    feats, = outputs  # (clips, C, T', h, w)
    for reduce, reduced in (('sum', feats.sum(dim=1)), ('max', feats.amax(dim=1))):
        maps = activation_maps(backbone, clips, reduce=reduce)
        assert maps.shape == (2, 8, 32, 48)
        expected = F.interpolate(reduced[:, None], size=(8, 32, 48), mode='trilinear', align_corners=False)[:, 0]
        torch.testing.assert_close(maps, expected)
        assert torch.isfinite(maps).all() and maps.std() > 0


def test_a_2d_backbones_maps_are_its_frames_in_their_clips():
    """A 2D backbone sees each frame as an image ``(N·F, C, H, W)``; its maps go back to their clips frame by frame.
    With a stage whose activation is the brightness, every map is its own frame's bright block (a different place
    in each frame of each clip, on frames wider than high)."""
    backbone = nn.Sequential()
    backbone.add_module('stage', nn.Sequential(nn.Conv2d(3, 1, 1), nn.ReLU()))
    with torch.no_grad():
        backbone.stage[0].weight.fill_(1 / 3)
        backbone.stage[0].bias.zero_()
    frames, expected = torch.zeros(2, 3, 3, 24, 40), torch.zeros(2, 3, 24, 40)  # (N, F, C, H, W), (N, F, H, W)
    for clip in range(2):
        for frame in range(3):
            block = (slice(2 + 6 * frame, 8 + 6 * frame), slice(3 + 12 * clip + 5 * frame, 9 + 12 * clip + 5 * frame))
            frames[(clip, frame, slice(None)) + block] = 1.0
            expected[(clip, frame) + block] = 1.0
    torch.testing.assert_close(activation_maps(backbone, frames, 'stage'), expected)


def test_a_2d_backbone_maps_every_frame_and_a_transformer_is_refused_in_one_line():
    torch.manual_seed(0)
    tsm = MODELS.build(dict(type='ResNetTSM', depth=18, num_segments=4, pretrained=None, pretrained2d=False))
    tsm.eval()
    frames = torch.randn(2, 4, 3, 32, 32)  # (N, F, C, H, W) as the NCHW preprocessor stacks them
    assert activation_maps(tsm, frames, 'layer2').shape == (2, 4, 32, 32)
    timesformer = MODELS.build(
        dict(
            type='TimeSformer',
            num_frames=8,
            img_size=32,
            patch_size=16,
            embed_dims=64,
            num_heads=4,
            num_transformer_layers=2,
            pretrained=None))
    with pytest.raises(ValueError, match='none of the default stages'):
        activation_maps(timesformer, _clips())
    with pytest.raises(ValueError, match='transformer backbones') as err:
        activation_maps(timesformer, _clips(), 'transformer_layers')
    assert '\n' not in str(err.value)


def test_unknown_stages_are_named_with_the_choices():
    backbone = MODELS.build(narrow_r3d())
    with pytest.raises(ValueError, match="stage 'layer9' is not a module of ResNet3d; its stages: conv1, maxpool"):
        resolve_stage(backbone, 'layer9')
    recognizer = nn.Module()
    recognizer.backbone = backbone
    assert resolve_stage(recognizer, 'backbone.layer2') == ('backbone.layer2', backbone.layer2)
    assert resolve_stage(recognizer, 'layer2') == ('layer2', backbone.layer2)


def test_the_map_of_a_constant_input_is_constant():
    # A pointwise backbone: nothing but the input decides the map (real backbones' zero padding makes
    # border activations differ even for constant input -- that is the network, not the drawing).
    backbone = nn.Sequential()
    backbone.add_module('stage', nn.Sequential(nn.Conv3d(3, 6, 1), nn.ReLU()))
    with torch.no_grad():
        backbone.stage[0].bias.fill_(0.1)
    maps = activation_maps(backbone, torch.full((1, 1, 3, 4, 16, 16), 0.5), 'stage')
    assert maps.shape == (1, 4, 16, 16) and maps.max() > 0
    assert torch.allclose(maps, maps.flatten()[0].expand_as(maps))
    assert (normalize_per_frame(maps) == 0).all()  # no contrast to show, and no NaN


def _recognizer(kind):
    head = dict(type='RotationHead', num_classes=4, in_channels=64, hidden_channels=16) if kind == 'rotation' \
        else dict(type='I3DHead', num_classes=5, in_channels=64)
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='RotationRecognizer' if kind == 'rotation' else 'Recognizer3D',
            backbone=narrow_r3d(),
            cls_head=head,
            data_preprocessor=PREPROCESSOR))
    model.init_weights()
    model.eval()
    return model


@pytest.mark.parametrize('kind', ['rotation', 'class'])
def test_gradcam_gradients_are_non_zero(kind):
    model = _recognizer(kind)
    cam = gradcam_maps(model, _clips(), 'layer2', target=kind)
    assert cam.maps.shape == (2, 8, 32, 32) and (cam.maps >= 0).all()
    assert cam.logits.shape == (2, 4 if kind == 'rotation' else 5)
    assert cam.gradients.abs().sum() > 0 and cam.maps.sum() > 0
    if kind == 'rotation':
        assert cam.index.tolist() == [0, 0]
    else:
        assert cam.index.tolist() == cam.logits.argmax(dim=1).tolist()
    other = gradcam_maps(model, _clips(), 'layer2', target=kind, index=1)
    assert other.index.tolist() == [1, 1] and not torch.allclose(other.gradients, cam.gradients)


def test_gradcam_explains_the_upright_label_of_the_models_angles_by_default():
    model = MODELS.build(
        dict(
            type='RotationRecognizer',
            backbone=narrow_r3d(),
            cls_head=dict(type='RotationHead', num_classes=2, in_channels=64),
            angles=(180, 0),
            data_preprocessor=PREPROCESSOR)).eval()
    assert gradcam_maps(model, _clips(), 'layer2').index.tolist() == [1, 1]  # label 1 means 0 degrees here


def test_gradcam_refuses_a_target_the_model_has_not():
    with pytest.raises(ValueError, match='use target "class"'):
        gradcam_maps(_recognizer('class'), _clips(), target='rotation')
    with pytest.raises(ValueError, match='use target "rotation"'):
        gradcam_maps(_recognizer('rotation'), _clips(), target='class')
    with pytest.raises(ValueError, match='not a logit'):
        gradcam_maps(_recognizer('rotation'), _clips(), target='rotation', index=4)


def test_gradcam_of_a_2d_recognizer_explains_every_frame():
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='Recognizer2D',
            data_preprocessor=dict(type='ActionDataPreprocessor', format_shape='NCHW'),
            backbone=dict(type='ResNetTSM', depth=18, num_segments=4, pretrained=None, pretrained2d=False),
            cls_head=dict(type='TSMHead', num_classes=3, in_channels=512, num_segments=4)))
    model.init_weights()
    model.eval()
    cam = gradcam_maps(model, torch.randn(1, 4, 3, 32, 32), 'layer3', target='class')
    assert cam.maps.shape == (1, 4, 32, 32) and cam.logits.shape == (1, 3)
    assert (cam.gradients.abs().sum(dim=(1, 3, 4)) > 0).all()  # every frame gets gradient
