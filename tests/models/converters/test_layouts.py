"""Backbone files in other codebases' layouts: read converted, and a file that fits no reading is refused
with one line that names the reading that would fit (or what still differs)."""
import datetime

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

from mmrot3d.models.backbone_io import BackboneCheckpointError, load_backbone_weights, misfit_hint, read_backbone_file
from mmrot3d.models.converters import to_torchvision
from mmrot3d.models.converters.layouts import Reading, detect_layout, hint, misfits, plain_flag, read, tensors_by_path
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


def zeros(*shape):
    return torch.zeros(shape)


# a torchvision r3d_18 stem (2 channels), and the same stem in MMAction2's names with a 3x7x7 and a 7x7x7 kernel
TV = {'stem.0.weight': zeros(2, 3, 3, 7, 7), 'stem.1.weight': zeros(2)}
STEM = {'conv1.conv.weight': zeros(2, 3, 3, 7, 7), 'conv1.bn.weight': zeros(2)}
STEM7 = {'conv1.conv.weight': zeros(2, 3, 7, 7, 7), 'conv1.bn.weight': zeros(2)}
TWIN = "the file has the keys of torchvision's r3d_18, which the backbone of " \
    'configs/_base_/models/r3d18-torchvision_classifier.py computes'


def test_misfits_count_the_fitting_tensors_and_name_the_others():
    expected = {'a': zeros(1), 'b': zeros(2), 'c': zeros(3), 'd': zeros(1), 'e': zeros(1)}
    state = {'b': zeros(2), 'c': zeros(5), **{f'x{i}': zeros(1) for i in range(5)}}
    assert misfits(expected, state) == (1, [
        '3 missing tensors (a, d, e)', '5 unexpected tensors (x0, x1, x2, ... (+2))',
        '1 shape mismatches (c: file [5] vs model [3])'
    ])


def test_a_named_layout_is_read_as_named_and_no_layout_as_the_keys_tell():
    assert read(TV, '', 'mmaction2', 'a', STEM) == Reading(
        '',
        'mmaction2',
        'a',
        0, [
            '2 missing tensors (conv1.conv.weight, conv1.bn.weight)',
            '2 unexpected tensors (stem.0.weight, stem.1.weight)'
        ],
        total=2)
    told = read(TV, '', None, 'a', STEM)
    assert (told.layout, told.fitting, told.problems, told.total) == ('torchvision', 2, [], 2)
    assert told.meta['torchvision_model'] == 'r3d_18'


def test_no_hint_for_a_file_that_fits_as_read():
    assert hint(STEM, {'a': STEM}, '', None) == ''


def test_hint_names_the_format_that_fits(tmp_path):
    torch.save(TV, tmp_path / 'tv.pth')
    assert misfit_hint(tmp_path / 'tv.pth', {'a': STEM}, '', 'mmaction2', plain_flag) == \
        "it fits a with format 'torchvision'"


def test_hint_names_the_prefix_and_the_format_that_fit():
    assert hint(prefixed(TV, 'module.'), {'a': STEM}, 'backbone.', 'mmaction2') == \
        "the backbone lies under 'module.': it fits a with prefix 'module.' and format 'torchvision'"


def test_hint_for_a_file_that_fits_no_reading_names_the_closest_and_what_differs():
    assert hint(TV, {'a': STEM7}, '', 'mmaction2') == (
        "closest: a, 1 of 2 tensors fit with format 'torchvision' (the backbone lies at the top level); "
        f'{TWIN}; a 3x7x7 stem where a has 7x7x7')
    assert hint(prefixed(TV, 'module.'), {'a': STEM7}, 'backbone.', 'mmaction2') == (
        "closest: a, 1 of 2 tensors fit with prefix 'module.' and format 'torchvision' (the backbone lies under "
        f"'module.'); {TWIN}; a 3x7x7 stem where a has 7x7x7")


def test_hint_over_several_targets_names_the_closest():
    state = dict(STEM, **{'conv1.bn.weight': zeros(3)})
    assert hint(state, {'a': STEM, 'b': {'x': zeros(1)}}, '', None) == 'closest: a, 1 of 2 tensors fit'


def test_the_given_reading_wins_ties():
    wide = {'stem.0.weight': zeros(4, 3, 3, 7, 7), 'stem.1.weight': zeros(4)}  # fits in no layout
    assert hint(wide, {'a': STEM7, 'b': {'x': zeros(1)}}, '', 'mmaction2') == 'closest: a, 0 of 2 tensors fit'


def test_prefixes_are_tried_at_dots_only():
    assert hint({f'my{k}': v for k, v in TV.items()}, {'a': STEM}, '', None) == ''


def test_a_torchvision_file_only_fits_its_twin(tmp_path):
    torch.save(prefixed(TV, 'module.'), tmp_path / 'tv.pth')
    assert misfit_hint(tmp_path / 'tv.pth', {'b': STEM, 'a': STEM}, 'backbone.', None, plain_flag, {'r3d_18': 'a'}) == \
        "the backbone lies under 'module.': it fits a with prefix 'module.'"
    wide = {'stem.0.weight': zeros(4, 3, 3, 7, 7), 'stem.1.weight': zeros(4)}  # fits no target: the file as given wins
    assert hint(prefixed(wide, 'module.'), {'b': STEM7, 'a': STEM7}, 'backbone.', None, twins={'r3d_18': 'a'}) == \
        'closest: b, 0 of 2 tensors fit'


class Stem(torch.nn.Module):

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv3d(3, 2, (3, 7, 7), bias=False)
        self.bn = torch.nn.BatchNorm3d(2)


def stem():
    module = torch.nn.Module()
    module.conv1 = Stem()
    return module


def test_a_recognizer_checkpoint_loads_its_backbone_by_default(tmp_path):
    source = stem()
    torch.nn.init.normal_(source.conv1.conv.weight)
    torch.save({**prefixed(source.state_dict(), 'backbone.'), 'cls_head.fc.weight': zeros(4, 2)}, tmp_path / 'r.pth')
    module = stem()
    assert load_backbone_weights(module, tmp_path / 'r.pth') == (6, {})
    assert torch.equal(module.conv1.conv.weight, source.conv1.conv.weight)


def test_refusal_names_each_misfit_and_the_backbone_the_file_was_exported_from(tmp_path):
    state = {k: v for k, v in stem().state_dict().items() if k != 'conv1.bn.bias'}
    path = tmp_path / 'export.pth'
    torch.save({'state_dict': {**state, 'extra': zeros(1)}, 'meta': {'backbone_config': "{'type': 'ResNet3d'}"}}, path)
    with pytest.raises(BackboneCheckpointError) as err:
        load_backbone_weights(stem(), path)
    assert str(err.value) == (f'{path} does not fit model.backbone (Module): 1 missing tensors (conv1.bn.bias); '
                              "1 unexpected tensors (extra); the file was exported from backbone {'type': 'ResNet3d'}")


@pytest.mark.parametrize('prefix, target', [('', 'model.backbone'), ('rgb.', 'model.rgb'), ('net_X.', 'model.net_X')])
def test_refusal_names_the_module_after_the_prefix(tmp_path, prefix, target):
    torch.save(prefixed({'conv1.conv.weight': zeros(2, 3, 3, 7, 7)}, prefix), tmp_path / 'b.pth')
    with pytest.raises(
            BackboneCheckpointError, match=f'^{tmp_path / "b.pth"} does not fit {target} \\(Module\\): 5 missing'):
        load_backbone_weights(stem(), tmp_path / 'b.pth', prefix)


def test_a_backbone_pretrained_on_another_input_is_refused(tmp_path):
    torch.save({'state_dict': stem().state_dict(), 'meta': {'input': 'residual(step=1)'}}, tmp_path / 'b.pth')
    with pytest.raises(BackboneCheckpointError) as err:
        load_backbone_weights(stem(), tmp_path / 'b.pth', input_kind='rgb')
    assert str(err.value) == (
        f"{tmp_path / 'b.pth'} was pretrained on residual(step=1) input and model.backbone is fed rgb input: one "
        'backbone must see the same input at every stage; use a config whose pipeline gives residual(step=1) input '
        '(ResidualFrames: the *-residual.py configs), or a backbone pretrained on rgb')


def test_a_torchvision_file_is_refused_for_a_backbone_of_another_architecture(tmp_path, torchvision_r3d):
    torch.save(torchvision_r3d[0], tmp_path / 'r3d_18.pth')
    cfg = Config.fromfile(shipped_path('configs/_base_/models/r3d18-torchvision.py')).model.backbone.to_dict()
    pooled = dict(cfg, base_channels=8, with_pool1=True, with_pool2=True)
    with pytest.raises(BackboneCheckpointError) as err:
        load_backbone_weights(backbone('r3d18-torchvision'), tmp_path / 'r3d_18.pth', backbone_cfg=pooled)
    assert str(err.value) == (
        f"{tmp_path / 'r3d_18.pth'} holds torchvision's r3d_18, and model.backbone has its tensors but not its "
        'architecture: with_pool1=True (torchvision r3d_18: False), with_pool2=True (torchvision r3d_18: False); '
        'use the backbone of configs/_base_/models/r3d18-torchvision_classifier.py')


def test_a_missing_or_pickled_file_is_refused_with_how_to_make_one(tmp_path):
    missing, pickled = tmp_path / 'none.pth', tmp_path / 'ckpt.pth'
    with pytest.raises(BackboneCheckpointError) as err:
        read_backbone_file(missing)
    assert str(err.value) == (f'{missing}: pretrained backbone file not found; make it from a pretraining run with: '
                              f'python tools/export_backbone.py WORK_DIR --out {missing}')
    torch.save({'state_dict': STEM, 'meta': {'date': datetime.date(2026, 1, 1)}}, pickled)
    with pytest.raises(BackboneCheckpointError) as err:
        read_backbone_file(pickled)
    assert str(err.value) == (
        f'{pickled}: not a plain tensor state dict (it pickles Python objects, like a full training checkpoint); '
        f'export its backbone first: python tools/export_backbone.py {pickled} --out backbone.pth')


@pytest.mark.parametrize('obj, got', [({'epoch': 3}, 'dict without tensors'), ([1, 2], 'list')])
def test_a_file_without_tensors_is_refused(tmp_path, obj, got):
    torch.save(obj, tmp_path / 'b.pth')
    with pytest.raises(BackboneCheckpointError) as err:
        read_backbone_file(tmp_path / 'b.pth')
    assert str(err.value) == f'{tmp_path / "b.pth"}: expected a dict of tensors (or {{"state_dict": ...}}), got {got}'


def test_a_named_layout_is_read_as_named_or_refused_if_unknown(tmp_path):
    torch.save(TV, tmp_path / 'tv.pth')
    state, meta = read_backbone_file(tmp_path / 'tv.pth', layout='mmaction2')
    assert (list(state), meta) == (list(TV), {})
    with pytest.raises(ValueError, match=r"^unknown layout 'caffe'; known: mmaction2, torchvision$"):
        read_backbone_file(tmp_path / 'tv.pth', layout='caffe')
