"""How a backbone file's tensors are laid out, and which reading of a file that does not fit comes closest.

A file is read as: its tensors by dotted path (nested dicts such as a checkpoint's ``model`` or
``model_state`` entry joined with ``.``), those under a key prefix (``backbone.``, ``module.``, ...)
with the prefix removed, then in MMAction2's names as they are (``mmaction2``) or converted from
another codebase's (``torchvision``: ``stem.0.weight``, ``layer1.0.conv1.0.weight``, ...). The layout
is told by the keys unless named.
"""
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Mapping, Optional, Tuple

import torch

from .torchvision_video_resnet import MODELS as TORCHVISION_TWINS
from .torchvision_video_resnet import TORCHVISION, from_torchvision

MMACTION2 = 'mmaction2'
LAYOUTS = (MMACTION2, TORCHVISION)
# the first tensor of each layout's stem: where a backbone starts, whatever prefix it lies under
STEMS = {TORCHVISION: ('stem.0.weight', ), MMACTION2: ('conv1.conv.weight', 'conv1.conv.conv_s.weight')}
Tensors = Dict[str, torch.Tensor]


def tensors_by_path(obj) -> Tensors:
    """Every tensor of a loaded file under its dotted path (other values are left out)."""
    found = {}
    for key, value in (obj.items() if isinstance(obj, Mapping) else ()):
        if isinstance(value, torch.Tensor):
            found[str(key)] = value
        elif isinstance(value, Mapping):
            found.update({f'{key}.{k}': v for k, v in tensors_by_path(value).items()})
    return found


def select(tensors: Tensors, prefix: str) -> Tensors:
    """The tensors under ``prefix``, without it; all of them if none lies under it."""
    if prefix and any(k.startswith(prefix) for k in tensors):
        return {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
    return dict(tensors)


def detect_layout(state: Tensors) -> str:
    return TORCHVISION if STEMS[TORCHVISION][0] in state else MMACTION2


def to_mmaction2(state: Tensors, layout: Optional[str] = None) -> Tuple[Tensors, Dict[str, str]]:
    """``state`` in MMAction2's backbone names, and what the conversion did (empty if none was needed)."""
    layout = layout or detect_layout(state)
    if layout not in LAYOUTS:
        raise ValueError(f'unknown layout {layout!r}; known: {", ".join(LAYOUTS)}')
    return from_torchvision(state) if layout == TORCHVISION else (state, {})


def misfits(expected: Tensors, state: Tensors) -> Tuple[int, List[str]]:
    """How many of ``expected``'s tensors ``state`` supplies with their shape, and what keeps it from loading
    strictly: missing, unexpected and mis-shaped tensors (``'name: file [..] vs model [..]'``)."""
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    mismatched = [
        f'{k}: file {list(state[k].shape)} vs model {list(v.shape)}' for k, v in expected.items()
        if k in state and state[k].shape != v.shape
    ]
    problems = [
        f'{len(names)} {what} ({_some(names)})'
        for what, names in (('missing tensors', missing), ('unexpected tensors', unexpected), ('shape mismatches',
                                                                                               mismatched)) if names
    ]
    return len(expected) - len(missing) - len(mismatched), problems


@dataclass
class Reading:
    """One way to read a file against one target backbone, and how well it fits."""
    prefix: str
    layout: str
    target: str
    fitting: int
    problems: List[str]
    meta: Dict[str, str] = field(default_factory=dict)
    total: int = 0

    @property
    def fits(self) -> bool:
        return not self.problems


def read(tensors: Tensors, prefix: str, layout: Optional[str], target: str, expected: Tensors) -> Reading:
    state = select(tensors, prefix)
    layout = layout or detect_layout(state)
    state, meta = to_mmaction2(state, layout)
    return Reading(prefix, layout, target, *misfits(expected, state), meta=meta, total=len(expected))


def closest(tensors: Tensors,
            targets: Dict[str, Tensors],
            prefix: str,
            layout: Optional[str],
            twins: Optional[Dict[str, str]] = None) -> Reading:
    """The reading that fits best over every target, every prefix a known stem lies under and both layouts
    (the given prefix and layout win ties). ``twins``: torchvision model -> the one target that computes it
    (a torchvision file read into another target does not count, whatever its shapes)."""
    stems = {
        k[:-len(stem)]
        for k in tensors
        for known in STEMS.values()
        for stem in known if k == stem or k.endswith('.' + stem)
    }
    readings = [
        read(tensors, p, lay, name, expected) for p in [prefix] + sorted(stems - {prefix})
        for lay in [layout] + ([None] if layout else []) for name, expected in targets.items()
    ]
    if twins is not None:
        readings = [r for r in readings if twins.get(r.meta.get('torchvision_model'), r.target) == r.target] or readings
    return max(readings, key=lambda r: (r.fits, r.fitting))


def plain_flag(kind: str, value: str) -> str:
    """A setting in words (``prefix 'module.'``), where no command-line flag names it."""
    return f'{kind} {value!r}'


def hint(obj,
         targets: Dict[str, Tensors],
         prefix: str,
         layout: Optional[str],
         flag: Callable[[str, str], str] = plain_flag,
         twins: Optional[Dict[str, str]] = None) -> str:
    """What the closest reading of a loaded file (``obj``) that fits no target suggests, in one clause ('' if
    nothing): the ``flag(kind, value)`` (kind ``prefix`` or ``format``) that makes it fit, or else what
    still differs (which target comes closest, whose twin a torchvision file is, a stem of another kernel);
    ``twins`` as for :func:`closest`."""
    tensors = tensors_by_path(obj)
    best = closest(tensors, targets, prefix, layout, twins)
    changes = ([flag('prefix', best.prefix)] if best.prefix != prefix else []) + \
        ([flag('format', best.layout)] if layout and best.layout != layout else [])
    entry = best.prefix.split('.')[0]
    where = (f'the backbone lies under {best.prefix!r}' +
             (f' (in the nested entry {entry!r})' if isinstance(obj, Mapping) and isinstance(obj.get(entry), Mapping)
              else '')) if best.prefix else 'the backbone lies at the top level'
    if best.fits:
        told = f'{where}: ' if best.prefix != prefix else ''
        return f'{told}it fits {best.target} with {" and ".join(changes)}' if changes else ''
    parts = []
    if changes or len(targets) > 1:
        parts.append(f'closest: {best.target}, {best.fitting} of {best.total} tensors fit' +
                     (f' with {" and ".join(changes)} ({where})' if changes else ''))
    twin = TORCHVISION_TWINS.get(best.meta.get('torchvision_model', ''))
    if twin:
        parts.append(
            f'the file has the keys of torchvision\'s {best.meta["torchvision_model"]}, which the backbone of {twin} '
            f'computes')
    parts.append(_stem_difference(tensors, best, targets[best.target]))
    return '; '.join(p for p in parts if p)


def _stem_difference(tensors: Tensors, reading: Reading, expected: Tensors) -> str:
    """'a 7x7x7 stem where TARGET has 3x7x7' when the stem convs' kernels differ."""
    state, _ = to_mmaction2(select(tensors, reading.prefix), reading.layout)
    for stem in STEMS[MMACTION2]:
        if stem in state and stem in expected and state[stem].dim() == expected[stem].dim() == 5:
            have, want = tuple(state[stem].shape[2:]), tuple(expected[stem].shape[2:])
            if have != want:
                return f'a {"x".join(map(str, have))} stem where {reading.target} has {"x".join(map(str, want))}'
    return ''


def _some(names: List[str], limit: int = 3) -> str:
    shown = ', '.join(names[:limit])
    return shown + (f', ... (+{len(names) - limit})' if len(names) > limit else '')
