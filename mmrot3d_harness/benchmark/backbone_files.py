"""The backbones a benchmark compares, checked before any job starts.

``--backbone NAME=PATH`` names a plain tensor state dict: our ``tools/export_backbone.py`` output, or another
codebase's file -- its backbone's tensors under the key prefix ``--prefix NAME=PREFIX`` strips (e.g.
``module.backbone.``; nested entries join with ``.``, e.g. ``model_state.module.``), in MMAction2's names or
torchvision's (``stem.0.weight``, ...; told by the keys, or ``--format NAME=torchvision``), which convert.
Each file is read weights-only and given the first architecture of the datasets (ours, torchvision's R3D-18,
MC3-18, R(2+1)D-18) whose fine-tuning backbone it fits tensor for tensor, checked with the strict loader's
check against every fine-tuning config of that architecture; a file that fits none stops the benchmark with
one line naming the reading that would fit. The fitting tensors are written to ``<work_dir>/backbones/NAME.pth``
in the export format (with the source file's SHA-256 and the conversion), which every job then loads -- so a
restart finds the very same weights, and a changed source file is refused. A random-init baseline
(``scratch``; ``scratch-<architecture>`` for another architecture) is built in for every architecture
benchmarked. A backbone pretrained by the benchmark (``--pretrain-config``) is checked by shapes before its
pretraining starts and exported when it ends.
"""
import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.config import Config, DictAction

from mmrot3d.models.backbone_io import (FORMAT, BackboneCheckpointError, check_backbone_state, export_backbone,
                                        misfit_hint, read_backbone_file)
from mmrot3d.models.converters.layouts import LAYOUTS, misfits
from mmrot3d.models.converters.torchvision_video_resnet import MODELS as TORCHVISION_TWINS
from mmrot3d.models.converters.torchvision_video_resnet import twin_differences
from mmrot3d.structures.video_input import RGB, config_input
from mmrot3d.utils.checkpoint import file_sha256, load_state_dict_file, save_checkpoint_file
from mmrot3d.utils.shipped_files import shipped_path
from ..run_logs import validations
from .labelled_sets import LabelledSet

SCRATCH = 'scratch'


@dataclass
class Backbone:
    """``path`` None: random init. ``pretrain_config``: made by a pretraining job of this benchmark.
    ``layout``: the file's key layout (None: told by its keys). ``architecture``: the datasets' fine-tuning
    architecture it fits (the preflight sets it, with the ``layout`` found and the ``conversion`` done)."""
    name: str
    path: Optional[str] = None
    prefix: str = 'backbone.'
    pretrain_config: Optional[str] = None
    pretrain_options: Sequence[str] = ()
    layout: Optional[str] = None
    architecture: Optional[str] = None
    conversion: str = ''
    input: str = RGB  # what the backbone sees: RGB or residual frames (its export's, or its pretraining config's)
    pretrain_data: Optional[str] = None  # synthetic presets: the data its pretraining reads (None: the preset's)
    reference: Optional[str] = None  # the backbone it is read against, paired (None: the first pretrained one)

    @property
    def is_scratch(self) -> bool:
        return self.path is None and self.pretrain_config is None


def resolve_config(path: str, flag: str) -> str:
    """A config named on the command line (``flag`` prefixes the error): a file, or one shipped with mmrot3d."""
    if Path(path).is_file():
        return str(Path(path).resolve())
    try:
        return str(shipped_path(path))
    except FileNotFoundError:
        raise FileNotFoundError(f'{flag}{path}: no such config file') from None


def parse_pairs(values: Sequence[str], flag: str) -> Dict[str, str]:
    """``NAME=VALUE`` words -> dict, with a one-line error for anything else."""
    pairs = {}
    for value in values or ():
        name, sep, rest = value.partition('=')
        if not sep or not name or not rest:
            raise ValueError(f'{flag} {value!r}: expected NAME=VALUE')
        if name in pairs:
            raise ValueError(f'{flag}: {name} given twice')
        pairs[name] = rest
    return pairs


def parse_options(words: Sequence[str]) -> Dict:
    """``key=value`` words -> the dict ``--cfg-options`` gives the tools (MMEngine's own parser)."""
    if not words:
        return {}
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(['--cfg-options', *words]).cfg_options


def config_backbone(config: str, options: Dict) -> torch.nn.Module:
    """The backbone module a config builds (after ``--cfg-options``), randomly initialised."""
    from mmaction.registry import MODELS
    return MODELS.build(backbone_config(config, options))


def backbone_config(config: str, options: Dict) -> Dict:
    cfg = Config.fromfile(config)
    if options:
        cfg.merge_from_dict(options)
    return cfg.model.backbone.to_dict()


class Architectures:
    """The datasets' fine-tuning configs per architecture (``names``: the default first), and their backbones
    (each distinct backbone config parsed and built once)."""

    def __init__(self, sets: Sequence[LabelledSet], splits: Sequence[int], options: Dict) -> None:
        self.names = [a for a in sets[0].architectures if all(a in d.architectures for d in sets)]
        self.configs = {a: sorted({d.config_path(s, a) for d in sets for s in splits}) for a in self.names}
        self.options = options
        self._cfgs: Dict[str, Dict] = {}
        self._built: Dict[str, torch.nn.Module] = {}

    def backbone_config(self, config: str) -> Dict:
        if config not in self._cfgs:
            self._cfgs[config] = backbone_config(config, self.options)
        return self._cfgs[config]

    def backbone(self, config: str) -> torch.nn.Module:
        from mmaction.registry import MODELS
        key = repr(self.backbone_config(config))
        if key not in self._built:
            self._built[key] = MODELS.build(self.backbone_config(config))
        return self._built[key]

    def state(self, arch: str) -> Dict[str, torch.Tensor]:
        """The state dict of the architecture's (first config's) backbone."""
        return self.backbone(self.configs[arch][0]).state_dict()

    def first_fit(self,
                  state: Dict[str, torch.Tensor],
                  candidates: Optional[Sequence[str]] = None) -> Tuple[Optional[str], Dict[str, Tuple[int, List[str]]]]:
        """The first architecture (of ``candidates``, default all) whose backbone ``state`` fits (None if
        none), and the misfits of those tried before (all of them if none fits)."""
        tried = {}
        for arch in candidates or self.names:
            tried[arch] = misfits(self.state(arch), state)
            if not tried[arch][1]:
                return arch, tried
        return None, tried

    def closest(self, tried: Dict[str, Tuple[int, List[str]]]) -> str:
        return max(tried, key=lambda arch: tried[arch][0])

    def twin(self, model: str) -> Optional[str]:
        """The architecture that computes torchvision's ``model`` (None if none here does)."""
        return next((a for a in self.names if not twin_differences(self.backbone_config(self.configs[a][0]), model)),
                    None)


def _flag(name: str):

    def flag(kind: str, value: str) -> str:
        if kind == 'prefix' and not value:
            return f'no --prefix {name}=...'
        return f'--{kind} {name}={value}'

    return flag


def check_file(backbone: Backbone, archs: Architectures) -> Dict[str, torch.Tensor]:
    """The backbone's tensors, converted if need be, once they fit every fine-tuning config of the first
    architecture they fit (set as ``backbone.architecture``); else :class:`BackboneCheckpointError`."""
    if backbone.layout and backbone.layout not in LAYOUTS:
        raise ValueError(f'--format {backbone.name}={backbone.layout}: known formats are {", ".join(LAYOUTS)}')
    state, meta = read_backbone_file(backbone.path, backbone.prefix, backbone.layout)
    twins = {model: archs.twin(model) for model in TORCHVISION_TWINS}
    model = meta.get('torchvision_model')
    if model and twins[model] is None:
        raise BackboneCheckpointError(
            f'--backbone {backbone.name}={backbone.path} holds torchvision\'s {model}: none of the fine-tuning '
            f'configs here ({", ".join(archs.names)}) computes it')
    # a torchvision file only goes into the architecture that computes its model, whatever else its shapes fit
    arch, tried = archs.first_fit(state, [twins[model]] if model else archs.names)
    if arch is None:
        closest = archs.closest(tried)
        read_as = f'--prefix {backbone.prefix!r}' + (f', --format {backbone.layout}' if backbone.layout else '')
        targets = {a: archs.state(a) for a in archs.names}
        advice = misfit_hint(backbone.path, targets, backbone.prefix, backbone.layout, _flag(backbone.name), {
            m: a
            for m, a in twins.items() if a
        })
        raise BackboneCheckpointError(
            f'--backbone {backbone.name}={backbone.path} does not fit the backbone of {archs.configs[closest][0]} '
            f'(read with {read_as}): {"; ".join(tried[closest][1])}{"; " + advice if advice else ""}')
    for config in archs.configs[arch][1:]:
        problems = check_backbone_state(archs.backbone(config), state)
        if problems:
            raise BackboneCheckpointError(f'--backbone {backbone.name}={backbone.path} does not fit the backbone '
                                          f'of {config}: {"; ".join(problems)}')
    backbone.architecture, backbone.layout = arch, meta.get('layout', 'mmaction2')
    backbone.conversion = meta.get('conversion', '')
    backbone.input = meta.get('input', RGB)
    return state


def check_shapes(backbone: Backbone, archs: Architectures) -> None:
    """A pretraining config must build a backbone that an architecture's fine-tuning configs fine-tune."""
    made = config_backbone(backbone.pretrain_config, parse_options(backbone.pretrain_options)).state_dict()
    arch, tried = archs.first_fit(made)
    if arch is None:
        closest = archs.closest(tried)
        raise BackboneCheckpointError(
            f'--pretrain-config {backbone.name}={backbone.pretrain_config} builds a backbone that does not fit '
            f'the one of {archs.configs[closest][0]}: {"; ".join(tried[closest][1])}')
    backbone.architecture = arch
    backbone.input = config_input(Config.fromfile(backbone.pretrain_config))


def install(backbone: Backbone, state: Dict[str, torch.Tensor], out: Path) -> str:
    """Write the checked tensors to ``out`` (export format); reuse it if made from the same source file."""
    sha = file_sha256(backbone.path)
    if out.is_file():
        meta = load_state_dict_file(str(out)).get('meta', {})
        if meta.get('source_sha256') != sha:
            raise BackboneCheckpointError(
                f'--backbone {backbone.name}={backbone.path}: this work dir was benchmarked with another file under '
                f'that name ({meta.get("source_file")}); use another --work-dir or another NAME')
        return str(out)
    meta = dict(
        format=FORMAT,
        source_file=str(Path(backbone.path).resolve()),
        source_sha256=sha,
        source_prefix=backbone.prefix,
        source_layout=backbone.layout,
        architecture=backbone.architecture,
        num_tensors=len(state))
    if backbone.conversion:
        meta['conversion'] = backbone.conversion
    save_checkpoint_file({'state_dict': {k: v.contiguous() for k, v in state.items()}, 'meta': meta}, out)
    return str(out)


def preflight(backbones: List[Backbone],
              archs: Architectures,
              out_dir: Path,
              install_files: bool = True) -> Dict[str, str]:
    """Give every backbone its architecture, checked against every fine-tuning config of it; returns NAME -> file
    the jobs load (``--backbone`` files only; written unless ``install_files`` is False). Raises
    :class:`BackboneCheckpointError` at the first misfit."""
    files: Dict[str, str] = {}
    for backbone in backbones:
        if backbone.path:
            state = check_file(backbone, archs)
            out = out_dir / f'{backbone.name}.pth'
            files[backbone.name] = install(backbone, state, out) if install_files else str(out)
        elif backbone.pretrain_config:
            check_shapes(backbone, archs)
        else:
            backbone.architecture = backbone.architecture or archs.names[0]
    return files


def scratch_baselines(backbones: Sequence[Backbone], archs: Architectures) -> List[Backbone]:
    """A random-init backbone for every architecture and input of ``backbones`` (the default architecture on RGB
    if none): ``scratch`` for the default architecture, ``scratch-<architecture>`` for another, ``-residual``
    after either for residual frames."""
    used = {(b.architecture, b.input) for b in backbones} or {(archs.names[0], RGB)}
    out = []
    for arch in archs.names:
        for kind in sorted({k for a, k in used if a == arch}, key=lambda k: k != RGB):
            name = SCRATCH if arch == archs.names[0] else f'{SCRATCH}-{arch}'
            out.append(Backbone(name if kind == RGB else f'{name}-{kind.split("(")[0]}', architecture=arch, input=kind))
    return out


def export_pretrained(work_dir: Path, out: Path, target_config: str, options: Dict) -> Dict:
    """Export a finished pretraining job's backbone and check it fits the fine-tuning backbone."""
    meta = export_backbone(str(work_dir), str(out), validations=validations(work_dir))
    state, _ = read_backbone_file(str(out))
    problems = check_backbone_state(config_backbone(target_config, options), state)
    if problems:
        raise BackboneCheckpointError(f'{out} does not fit the backbone of {target_config}: {"; ".join(problems)}')
    return dict(path=str(out), meta={k: v for k, v in meta.items() if k != 'source_config'})
