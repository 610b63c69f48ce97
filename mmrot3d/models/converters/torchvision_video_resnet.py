"""torchvision's video ResNets (``r3d_18``, ``mc3_18``, ``r2plus1d_18``: ``VideoResNet``) <-> MMAction2 backbones.

Each torchvision model has a backbone config that computes the same function (``MODELS`` below), with
MMAction2's names; a state dict converts by renaming its tensors, and the classifier ``fc`` is left out
(toward torchvision it is written as zeros, so that ``r3d_18().load_state_dict(..., strict=True)`` takes
it). Both directions rename every tensor or fail: nothing is dropped silently.

    torchvision                      MMAction2 (r3d_18, mc3_18)     MMAction2 (r2plus1d_18)
    stem.0 / stem.1                  conv1.conv / conv1.bn          conv1.conv.conv_s / conv1.conv.bn_s
    stem.3 / stem.4                  -                              conv1.conv.conv_t / conv1.bn
    layerL.B.convK.0 / .1            layerL.B.convK.conv / .bn      -
    layerL.B.convK.0.0 / .0.1 / .0.3 -                              layerL.B.convK.conv.conv_s / .bn_s / .conv_t
    layerL.B.convK.1                 -                              layerL.B.convK.bn
    layerL.0.downsample.0 / .1       layerL.0.downsample.conv / .bn (both)
"""
import functools
import inspect
import re
from typing import Dict, List, Mapping, Tuple

import torch

TORCHVISION = 'torchvision'
# torchvision model -> the config whose model.backbone is its twin (tests/models/converters check the
# features are equal)
MODELS = {
    'r3d_18': 'configs/_base_/models/r3d18-torchvision_classifier.py',
    'mc3_18': 'configs/_base_/models/mc3-18-torchvision_classifier.py',
    'r2plus1d_18': 'configs/_base_/models/r2plus1d18-torchvision_classifier.py',
}
CLASSIFIER = ('fc.weight', 'fc.bias')
NUM_CLASSES = 400  # the default of torchvision's constructors (Kinetics-400)

_CONV3D = [('stem.0', 'conv1.conv'), ('stem.1', 'conv1.bn'), ('layer{L}.{B}.conv{K}.0', 'layer{L}.{B}.conv{K}.conv'),
           ('layer{L}.{B}.conv{K}.1', 'layer{L}.{B}.conv{K}.bn')]
_CONV2PLUS1D = [('stem.0', 'conv1.conv.conv_s'), ('stem.1', 'conv1.conv.bn_s'), ('stem.3', 'conv1.conv.conv_t'),
                ('stem.4', 'conv1.bn'), ('layer{L}.{B}.conv{K}.0.0', 'layer{L}.{B}.conv{K}.conv.conv_s'),
                ('layer{L}.{B}.conv{K}.0.1', 'layer{L}.{B}.conv{K}.conv.bn_s'),
                ('layer{L}.{B}.conv{K}.0.3', 'layer{L}.{B}.conv{K}.conv.conv_t'),
                ('layer{L}.{B}.conv{K}.1', 'layer{L}.{B}.conv{K}.bn')]
_DOWNSAMPLE = [('layer{L}.{B}.downsample.0', 'layer{L}.{B}.downsample.conv'),
               ('layer{L}.{B}.downsample.1', 'layer{L}.{B}.downsample.bn')]
RULES = {'r3d_18': _CONV3D + _DOWNSAMPLE, 'mc3_18': _CONV3D + _DOWNSAMPLE, 'r2plus1d_18': _CONV2PLUS1D + _DOWNSAMPLE}


@functools.lru_cache(maxsize=None)
def _pattern(template: str) -> re.Pattern:
    """``layer{L}.{B}.conv{K}.0`` -> a regex with the named groups ``L``, ``B``, ``K``."""
    return re.compile('^' + re.sub(r'\{(\w)\}', r'(?P<\1>\\d+)', template.replace('.', r'\.')) + '$')


def _rename(key: str, rules: List[Tuple[str, str]], to_torchvision: bool) -> str:
    """The other layout's name of ``key`` (``''`` when no rule covers it)."""
    module, _, param = key.rpartition('.')
    for tv, mm in rules:
        source, target = (mm, tv) if to_torchvision else (tv, mm)
        found = _pattern(source).match(module)
        if found:
            return f'{target.format(**found.groupdict())}.{param}'
    return ''


def torchvision_model(state: Dict[str, torch.Tensor], torchvision_keys: bool = True) -> str:
    """Which of ``MODELS`` a state dict in torchvision's (or, with ``torchvision_keys=False``, MMAction2's)
    names holds: (2+1)D if the stem is factored, else R3D or MC3 by stage 2's kernel depth (3 or 1)."""
    factored, conv = ('stem.3.weight', 'layer2.0.conv1.0.weight') if torchvision_keys else \
        ('conv1.conv.conv_t.weight', 'layer2.0.conv1.conv.weight')
    if factored in state:
        return 'r2plus1d_18'
    weight = state.get(conv)
    return 'mc3_18' if weight is not None and weight.dim() == 5 and weight.shape[2] == 1 else 'r3d_18'


def from_torchvision(state: Dict[str, torch.Tensor]) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    """torchvision names -> MMAction2 backbone names.

    Returns:
        the renamed tensors (a tensor no rule covers keeps its name, so that the strict check reports it)
        and what was done, for the file's meta: ``layout``, ``torchvision_model``, ``conversion``.
    """
    name = torchvision_model(state)
    out, kept = {}, []
    for key, value in state.items():
        if key in CLASSIFIER:
            continue
        renamed = _rename(key, RULES[name], to_torchvision=False)
        out[renamed or key] = value
        if not renamed:
            kept.append(key)
    dropped = [k for k in CLASSIFIER if k in state]
    note = f'torchvision {name} -> MMAction2 backbone: {len(state) - len(dropped) - len(kept)} tensors renamed'
    if dropped:
        shape = 'x'.join(map(str, state[dropped[0]].shape))
        note += f', its classifier {" and ".join(dropped)} ({shape}) left out'
    if kept:
        note += f', {len(kept)} not torchvision\'s ({", ".join(kept[:3])}{", ..." if len(kept) > 3 else ""})'
    return out, dict(layout=TORCHVISION, torchvision_model=name, conversion=note)


def to_torchvision(state: Dict[str, torch.Tensor], name: str) -> Dict[str, torch.Tensor]:
    """MMAction2 backbone names -> the state dict of torchvision's ``name`` model, with a zero classifier
    ``fc`` for ``NUM_CLASSES`` classes (a backbone carries no action classifier). Raises ``ValueError``
    naming the tensors no rule covers."""
    out, unknown = {}, []
    for key, value in state.items():
        renamed = _rename(key, RULES[name], to_torchvision=True)
        if renamed:
            out[renamed] = value
        else:
            unknown.append(key)
    if unknown:
        raise ValueError(f'{len(unknown)} tensors have no name in torchvision\'s {name} '
                         f'({", ".join(unknown[:3])}{", ..." if len(unknown) > 3 else ""})')
    last = [v for k, v in state.items() if re.fullmatch(r'layer4\.\d+\.conv2\.bn\.weight', k)]
    width = last[-1].shape[0] if last else 512
    like = next(iter(state.values()))
    out['fc.weight'] = torch.zeros(NUM_CLASSES, width, dtype=like.dtype)
    out['fc.bias'] = torch.zeros(NUM_CLASSES, dtype=like.dtype)
    return out


@functools.lru_cache(maxsize=None)
def _twin_config(name: str) -> Tuple[Tuple[str, object], ...]:
    from mmengine.config import Config

    from ...utils.shipped_files import shipped_path
    return tuple(Config.fromfile(shipped_path(MODELS[name])).model.backbone.to_dict().items())


def _defaults(type_name: str) -> Dict[str, object]:
    """The constructor defaults of a registered backbone, subclasses' first."""
    from mmaction.registry import MODELS as REGISTRY
    found = {}
    for cls in getattr(REGISTRY.get(type_name), '__mro__', ()):
        for key, param in inspect.signature(cls.__init__).parameters.items() if '__init__' in vars(cls) else ():
            if param.default is not param.empty:
                found.setdefault(key, param.default)
    return found


def _plain(value):
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return tuple(_plain(v) for v in value) if isinstance(value, (list, tuple)) else value


# settings that do not change the function a backbone computes in eval mode (or only its width, which the
# tensors' shapes fix)
NOT_ARCHITECTURE = ('type', 'pretrained', 'pretrained2d', 'norm_eval', 'frozen_stages', 'norm_cfg', 'with_cp',
                    'init_cfg', 'base_channels', 'zero_init_residual')


def twin_differences(backbone_cfg: Mapping, name: str) -> List[str]:
    """How a backbone config differs from the twin of torchvision's ``name`` (``MODELS``) in what shapes its
    function, constructor defaults resolved on both sides (empty: it is the twin; width, norm layer type and
    training settings aside)."""
    twin = dict(_twin_config(name))
    kind = str(backbone_cfg.get('type', '')).split('.')[-1]
    if kind != twin['type']:
        return [f'type={kind} (torchvision {name}: {twin["type"]})']
    defaults = _defaults(kind)
    mine, theirs = {**defaults, **backbone_cfg}, {**defaults, **twin}
    return [
        f'{key}={_plain(mine.get(key))} (torchvision {name}: {_plain(theirs.get(key))})'
        for key in sorted(set(mine) | set(theirs))
        if key not in NOT_ARCHITECTURE and _plain(mine.get(key)) != _plain(theirs.get(key))
    ]
