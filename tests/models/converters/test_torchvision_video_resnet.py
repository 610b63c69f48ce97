"""torchvision's r3d_18 / mc3_18 / r2plus1d_18 converted into their MMAction2 configs compute the same
function, and our backbones convert back into state dicts torchvision loads strictly."""
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from torchvision_video import features, video_resnet

from mmrot3d.models.converters import from_torchvision, to_torchvision, torchvision_model
from mmrot3d.models.converters.torchvision_video_resnet import MODELS as TWINS
from mmrot3d.models.converters.torchvision_video_resnet import _defaults, twin_differences
from mmrot3d.utils.shipped_files import shipped_path

NAMES = ['r3d_18', 'mc3_18', 'r2plus1d_18']


def twin(name):
    return MODELS.build(Config.fromfile(shipped_path(TWINS[name])).model.backbone)


def randomise_batchnorm(model):
    """Running statistics and affine parameters away from their init, so that a misplaced BN shows."""
    generator = torch.Generator().manual_seed(1)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm3d):
            m.running_mean.copy_(torch.rand(m.num_features, generator=generator) - 0.5)
            m.running_var.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
            m.bias.data.copy_(torch.rand(m.num_features, generator=generator) - 0.5)
    return model


@pytest.fixture(scope='module', params=NAMES)
def converted(request):
    torch.manual_seed(0)
    theirs = randomise_batchnorm(video_resnet(request.param)).eval()
    state, meta = from_torchvision(theirs.state_dict())
    ours = twin(request.param)
    ours.load_state_dict(state, strict=True)
    ours.eval()  # (MMAction2's ResNet3d.train returns None, so eval() does too)
    return request.param, theirs, ours, meta


def test_converted_backbone_computes_torchvisions_features(converted):
    name, theirs, ours, _ = converted
    clips = torch.randn(2, 3, 8, 32, 32)  # 8 frames: every temporal stride of r3d/r2plus1d still acts
    with torch.no_grad():
        expected, got = features(theirs, clips), ours(clips)
    assert got.shape == expected.shape == (2, 512, 1 if name != "mc3_18" else 8, 2, 2)
    assert (got - expected).abs().max() <= 1e-5


def test_conversion_names_what_it_did(converted):
    name, theirs, _, meta = converted
    assert meta['layout'] == 'torchvision' and meta['torchvision_model'] == name
    renamed = len(theirs.state_dict()) - 2
    assert meta['conversion'] == (f'torchvision {name} -> MMAction2 backbone: {renamed} tensors renamed, its '
                                  f'classifier fc.weight and fc.bias (400x512) left out')


def test_ours_converts_back_into_a_state_dict_torchvision_loads_strictly(converted):
    name, theirs, ours, _ = converted
    assert torchvision_model(ours.state_dict(), torchvision_keys=False) == name
    back = to_torchvision(ours.state_dict(), name)
    again = video_resnet(name)
    again.load_state_dict(back, strict=True)
    for key, value in theirs.state_dict().items():
        assert torch.equal(again.state_dict()[key], value if not key.startswith('fc.') else torch.zeros_like(value))


def test_a_tensor_without_a_torchvision_name_is_refused():
    state = {'conv1.conv.weight': torch.zeros(1), 'head.fc.weight': torch.zeros(1)}
    with pytest.raises(ValueError, match=r"^1 tensors have no name in torchvision's r3d_18 \(head\.fc\.weight\)$"):
        to_torchvision(state, 'r3d_18')
    with pytest.raises(ValueError, match=r"^3 tensors have no name in torchvision's r3d_18 \(h0, h1, h2\)$"):
        to_torchvision({f'h{i}': torch.zeros(1) for i in range(3)}, 'r3d_18')
    with pytest.raises(ValueError, match=r"^4 tensors have no name in torchvision's r3d_18 \(h0, h1, h2, \.\.\.\)$"):
        to_torchvision({f'h{i}': torch.zeros(1) for i in range(4)}, 'r3d_18')


def test_the_zero_classifier_is_as_wide_as_stage_4_in_the_backbones_dtype():
    out = to_torchvision({'layer4.0.conv2.bn.weight': torch.zeros(6, dtype=torch.float64)}, 'r3d_18')
    assert (out['fc.weight'].shape, out['fc.weight'].dtype,
            out['fc.bias'].dtype) == ((400, 6), ) + (torch.float64, ) * 2
    assert to_torchvision({'conv1.conv.weight': torch.zeros(1)}, 'r3d_18')['fc.weight'].shape == (400, 512)


@pytest.fixture(scope='module')
def torchvision_states():
    return {name: video_resnet(name).state_dict() for name in NAMES}


def test_the_model_is_told_by_its_stem_and_stage_2s_kernel_depth(torchvision_states):
    assert {name: torchvision_model(state) for name, state in torchvision_states.items()} == {n: n for n in NAMES}
    assert {
        name: from_torchvision(state)[1]['torchvision_model']
        for name, state in torchvision_states.items()
    } == {
        n: n
        for n in NAMES
    }


def test_the_classifier_is_left_out_wherever_it_lies_and_other_tensors_kept_and_named(torchvision_states):
    theirs = torchvision_states['mc3_18']
    extra = {f'head.{i}.weight': torch.zeros(1) for i in range(4)}
    state = {'fc.weight': theirs['fc.weight'], **{k: v for k, v in theirs.items() if k != 'fc.weight'}, **extra}
    out, meta = from_torchvision(state)
    assert out.keys() == twin('mc3_18').state_dict().keys() | extra.keys()
    assert meta['conversion'] == ("torchvision mc3_18 -> MMAction2 backbone: 120 tensors renamed, its classifier "
                                  "fc.weight and fc.bias (400x512) left out, 4 not torchvision's (head.0.weight, "
                                  'head.1.weight, head.2.weight, ...)')
    three = {k: v for k, v in state.items() if not k.startswith(('fc.', 'head.3'))}
    assert from_torchvision(three)[1]['conversion'] == (
        "torchvision mc3_18 -> MMAction2 backbone: 120 tensors renamed, 3 not torchvision's (head.0.weight, "
        'head.1.weight, head.2.weight)')


def twin_cfg(name):
    return Config.fromfile(shipped_path(TWINS[name])).model.backbone.to_dict()


def test_a_twin_written_with_a_scoped_type_or_lists_is_the_twin():
    cfg = twin_cfg('r3d_18')
    assert twin_differences(dict(cfg, type='mmaction.ResNet3d'), 'r3d_18') == []
    assert twin_differences({k: list(v) if isinstance(v, tuple) else v for k, v in cfg.items()}, 'r3d_18') == []


def test_twin_differences_name_nested_settings_and_a_missing_type():
    cfg = twin_cfg('r3d_18')
    assert twin_differences(dict(cfg, act_cfg=dict(type='ReLU6')), 'r3d_18') == [
        "act_cfg={'type': 'ReLU6'} (torchvision r3d_18: {'type': 'ReLU', 'inplace': True})"
    ]
    assert twin_differences(dict(cfg, lateral=True), 'r3d_18') == ['lateral=True (torchvision r3d_18: None)']
    untyped = {k: v for k, v in cfg.items() if k != 'type'}
    assert twin_differences(untyped, 'r3d_18') == ['type= (torchvision r3d_18: ResNet3d)']


def test_constructor_defaults_subclasses_first_and_none_for_an_unregistered_type():
    assert _defaults('TorchvisionR2Plus1d')['temporal_strides'] == (1, 2, 2, 2)  # ResNet3d's: (1, 1, 1, 1)
    assert _defaults('NoSuchBackbone') == {}
