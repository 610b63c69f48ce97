"""The backbones a benchmark compares, checked before any job starts.

``--backbone NAME=PATH`` names a plain tensor state dict (our ``tools/export_backbone.py`` output, or
another codebase's file whose keys ``--prefix NAME=PREFIX`` strips, e.g. ``module.backbone.``). Each is
read weights-only and checked tensor for tensor against the fine-tuning config's backbone with the
strict loader's check; a misfit stops the benchmark with one line. The fitting tensors are written to
``<work_dir>/backbones/NAME.pth`` in the export format (with the source file's SHA-256), which every
job then loads -- so a restart finds the very same weights, and a changed source file is refused.
``scratch`` (random init) is built in. A backbone pretrained by the benchmark (``--pretrain-config``)
is checked by shapes before its pretraining starts and exported when it ends.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.config import Config

from ..models.backbone_io import (FORMAT, BackboneCheckpointError, check_backbone_state, export_backbone,
                                  read_backbone_file)
from ..utils.checkpoint import file_sha256, load_state_dict_file, save_checkpoint_file
from ..utils.shipped_files import shipped_path

SCRATCH = 'scratch'


@dataclass
class Backbone:
    """``path`` None: random init. ``pretrain_config``: made by a pretraining job of this benchmark."""
    name: str
    path: Optional[str] = None
    prefix: str = 'backbone.'
    pretrain_config: Optional[str] = None
    pretrain_options: Sequence[str] = ()

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


def config_backbone(config: str, options: Dict) -> torch.nn.Module:
    """The backbone module a config builds (after ``--cfg-options``), randomly initialised."""
    from mmaction.registry import MODELS
    cfg = Config.fromfile(config)
    if options:
        cfg.merge_from_dict(options)
    return MODELS.build(cfg.model.backbone)


def check_file(backbone: Backbone, target: torch.nn.Module, config: str) -> Dict[str, torch.Tensor]:
    """The backbone's tensors, if they fit ``target`` exactly; else :class:`BackboneCheckpointError`."""
    state, _ = read_backbone_file(backbone.path, backbone.prefix)
    problems = check_backbone_state(target, state)
    if problems:
        raise BackboneCheckpointError(
            f'--backbone {backbone.name}={backbone.path} does not fit the backbone of {config} '
            f'(with --prefix {backbone.prefix!r}): {"; ".join(problems)}')
    return state


def check_shapes(backbone: Backbone, target: torch.nn.Module, config: str) -> None:
    """A pretraining config must build the backbone the fine-tuning config fine-tunes."""
    made = config_backbone(backbone.pretrain_config, backbone.pretrain_options)
    problems = check_backbone_state(target, made.state_dict())
    if problems:
        raise BackboneCheckpointError(
            f'--pretrain-config {backbone.name}={backbone.pretrain_config} builds a backbone that does not fit '
            f'the one of {config}: {"; ".join(problems)}')


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
        num_tensors=len(state))
    save_checkpoint_file({'state_dict': {k: v.contiguous() for k, v in state.items()}, 'meta': meta}, out)
    return str(out)


def preflight(backbones: List[Backbone],
              finetune_configs: Sequence[str],
              options: Dict,
              out_dir: Path,
              install_files: bool = True) -> Dict[str, str]:
    """Check every backbone against every distinct fine-tuning backbone; returns NAME -> file the jobs load
    (``--backbone`` files only; written unless ``install_files`` is False). Raises
    :class:`BackboneCheckpointError` at the first misfit."""
    files: Dict[str, str] = {}
    targets = {}
    for config in finetune_configs:
        module = config_backbone(config, options)
        key = tuple((k, tuple(v.shape)) for k, v in module.state_dict().items())
        targets.setdefault(key, (config, module))
    for backbone in backbones:
        states = []
        for config, module in targets.values():
            if backbone.path:
                states.append(check_file(backbone, module, config))
            elif backbone.pretrain_config:
                check_shapes(backbone, module, config)
        if backbone.path:
            out = out_dir / f'{backbone.name}.pth'
            files[backbone.name] = install(backbone, states[0], out) if install_files else str(out)
    return files


def export_pretrained(work_dir: Path, out: Path, target_config: str, options: Dict) -> Dict:
    """Export a finished pretraining job's backbone and check it fits the fine-tuning backbone."""
    meta = export_backbone(str(work_dir), str(out))
    state, _ = read_backbone_file(str(out))
    problems = check_backbone_state(config_backbone(target_config, options), state)
    if problems:
        raise BackboneCheckpointError(f'{out} does not fit the backbone of {target_config}: {"; ".join(problems)}')
    return dict(path=str(out), meta={k: v for k, v in meta.items() if k != 'source_config'})
