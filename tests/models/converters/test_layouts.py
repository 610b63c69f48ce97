"""Backbone files in other codebases' layouts: read converted, and a file that fits no reading is refused
with one line that names the reading that would fit (or what still differs)."""
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

from mmrot3d.models.backbone_io import BackboneCheckpointError, load_backbone_weights, read_backbone_file
from mmrot3d.models.converters import to_torchvision
from mmrot3d.models.converters.layouts import detect_layout, tensors_by_path
from mmrot3d.utils.shipped_files import shipped_path


def backbone(config: str):
    """A narrow (8 base channels) backbone of ``configs/_base_/models/<config>.py``."""
    cfg = Config.fromfile(shipped_path(f'configs/_base_/models/{config}.py'))
    return MODELS.build(dict(cfg.model.backbone.to_dict(), base_channels=8))


@pytest.fixture(scope='module')
def torchvision_r3d():
    """A torchvision-keyed r3d_18 state dict (narrow) and the backbone it converts into."""
    torch.manual_seed(0)
    ours = backbone('r3d18-torchvision')
    return to_torchvision(ours.state_dict(), 'r3d_18'), ours


def refusal(module, path, **kwargs) -> str:
    with pytest.raises(BackboneCheckpointError) as err:
        load_backbone_weights(module, path, name='model.backbone', **kwargs)
    message = str(err.value)
    assert message.startswith(f'{path} does not fit model.backbone (ResNet3d): ') and '\n' not in message
    return message


def test_torchvision_layout_is_told_by_its_keys_and_converted(tmp_path, torchvision_r3d):
    state, ours = torchvision_r3d
    assert detect_layout(state) == 'torchvision' and detect_layout(ours.state_dict()) == 'mmaction2'
    torch.save(state, tmp_path / 'r3d_18.pth')
    read, meta = read_backbone_file(tmp_path / 'r3d_18.pth')
    assert read.keys() == ours.state_dict().keys()
    assert all(torch.equal(read[k], v) for k, v in ours.state_dict().items())
    assert meta['layout'] == 'torchvision' and meta['torchvision_model'] == 'r3d_18'
    assert 'its classifier fc.weight and fc.bias (400x64) left out' in meta['conversion']
    module = backbone('r3d18-torchvision')
    assert load_backbone_weights(module, tmp_path / 'r3d_18.pth')[0] == len(ours.state_dict())


def test_an_mmengine_state_dict_file_and_nested_entries_read_by_dotted_path(tmp_path, torchvision_r3d):
    state, ours = torchvision_r3d
    torch.save({'state_dict': {f'backbone.{k}': v for k, v in ours.state_dict().items()}}, tmp_path / 'mm.pth')
    assert read_backbone_file(tmp_path / 'mm.pth')[0].keys() == ours.state_dict().keys()
    nested = {'model_state': {f'module.{k}': v for k, v in state.items()}, 'epoch': 3}
    assert set(tensors_by_path(nested)) == {f'model_state.module.{k}' for k in state}
    torch.save(nested, tmp_path / 'nested.pth')
    read, meta = read_backbone_file(tmp_path / 'nested.pth', prefix='model_state.module.')
    assert read.keys() == ours.state_dict().keys() and meta['torchvision_model'] == 'r3d_18'


def prefixed(state, prefix):
    return {prefix + k: v for k, v in state.items()}


# how another codebase saved the backbone -> (the prefix given, how the refusal ends)
SAVED = {
    'module. prefix': ('backbone.', "the backbone lies under 'module.': it fits model.backbone with prefix 'module.'"),
    'backbone. prefix':
    ('module.backbone.', "the backbone lies under 'backbone.': it fits model.backbone with prefix 'backbone.'"),
    'DDP recognizer': ('backbone.', "it fits model.backbone with prefix 'module.backbone.'"),
    'nested model_state': ('backbone.', "the backbone lies under 'model_state.module.' (in the nested entry "
                           "'model_state'): it fits model.backbone with prefix 'model_state.module.'"),
    'nested model': ('backbone.', "(in the nested entry 'model'): it fits model.backbone with prefix 'model.'"),
}


def saved(case, torchvision_state, ours):
    return {
        'module. prefix': lambda: prefixed(torchvision_state, 'module.'),
        'backbone. prefix': lambda: prefixed(ours, 'backbone.'),
        'DDP recognizer': lambda: prefixed(ours, 'module.backbone.'),
        'nested model_state': lambda: dict(model_state=prefixed(torchvision_state, 'module.'), epoch=3),
        'nested model': lambda: dict(model=torchvision_state),
    }[case]()


@pytest.mark.parametrize('case', SAVED)
def test_refusal_names_the_prefix_that_fits(tmp_path, torchvision_r3d, case):
    state, ours = torchvision_r3d
    path = tmp_path / 'theirs.pth'
    torch.save(saved(case, state, ours.state_dict()), path)
    prefix, says = SAVED[case]
    assert refusal(backbone('r3d18-torchvision'), path, prefix=prefix).endswith(says)


def test_refusal_of_a_torchvision_file_for_another_architecture_names_its_twin(tmp_path, torchvision_r3d):
    torch.save(torchvision_r3d[0], tmp_path / 'r3d_18.pth')
    message = refusal(backbone('r3d18'), tmp_path / 'r3d_18.pth')  # ours: a 7x7x7 stem
    assert message.endswith(
        '1 shape mismatches (conv1.conv.weight: file [8, 3, 3, 7, 7] vs model [8, 3, 7, 7, 7]); the file has the '
        "keys of torchvision's r3d_18, which the backbone of configs/_base_/models/r3d18-torchvision_classifier.py "
        'computes; a 3x7x7 stem where model.backbone has 7x7x7')


def test_refusal_of_another_architecture_names_the_stems(tmp_path):
    torch.save(backbone('r3d18').state_dict(), tmp_path / 'ours.pth')
    assert refusal(backbone('r3d18-torchvision'),
                   tmp_path / 'ours.pth').endswith('; a 7x7x7 stem where model.backbone has 3x7x7')
    torch.save(backbone('mc3-18-torchvision_classifier').state_dict(), tmp_path / 'mc3.pth')
    assert 'shape mismatches (layer2.0.conv1.conv.weight: file [16, 8, 1, 3, 3] vs model [16, 8, 3, 3, 3]' in \
        refusal(backbone('r3d18-torchvision'), tmp_path / 'mc3.pth')
