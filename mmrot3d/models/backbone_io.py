"""The pretraining -> fine-tuning handoff: export a backbone as a plain tensor file, load it strictly.

An export is ``{'state_dict': {name: tensor}, 'meta': {str: str | int | float}}`` with the names
relative to the backbone (``conv1.conv.weight``, not ``backbone.conv1.conv.weight``), so it loads
with ``torch.load(weights_only=True)`` and cannot carry code. :func:`load_backbone_weights` is the
only way back in: every tensor must fit, or nothing is loaded and one clear error is raised --
fine-tuning can never silently start from random weights.
"""
import os.path as osp
import pickle
from datetime import datetime, timezone
from typing import Callable, Dict, List, Mapping, Optional, Tuple, Union

import torch
import torch.nn as nn

from ..structures.video_input import RGB, config_input
from ..utils.atomic_io import newest_complete_checkpoint
from ..utils.checkpoint import PathLike, load_checkpoint_file, load_state_dict_file, save_checkpoint_file
from .converters.layouts import hint, misfits, plain_flag, select, tensors_by_path, to_mmaction2
from .converters.torchvision_video_resnet import MODELS as TORCHVISION_TWINS
from .converters.torchvision_video_resnet import twin_differences

FORMAT = 'mmrot3d-backbone-v1'


class BackboneCheckpointError(ValueError):
    """A pretrained backbone file that cannot initialise the model's backbone as it is."""


def resolve_checkpoint(path: PathLike) -> str:
    """A checkpoint file, or for a work dir its latest checkpoint (``last_checkpoint``, else the
    newest ``epoch_N.pth`` / ``iter_N.pth``)."""
    path = osp.expanduser(str(path))
    if osp.isfile(path):
        return path
    if not osp.isdir(path):
        raise FileNotFoundError(f'{path}: no such checkpoint file or work directory')
    last = osp.join(path, 'last_checkpoint')
    if osp.isfile(last):
        with open(last) as f:
            recorded = f.read().strip()
        for candidate in (recorded, osp.join(path, osp.basename(recorded))):
            if candidate and osp.isfile(candidate):
                return candidate
    found = newest_complete_checkpoint(path)
    if not found:
        raise FileNotFoundError(f'{path}: work directory holds no checkpoint (no last_checkpoint, '
                                f'epoch_*.pth or iter_*.pth)')
    return found


def _plain(value):
    """A JSON-like scalar that ``torch.load(weights_only=True)`` accepts."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, 'item'):
        return value.item()
    return str(value)


def _val_metrics_from_message_hub(checkpoint: dict) -> Dict[str, float]:
    scalars = (checkpoint.get('message_hub') or {}).get('log_scalars') or {}
    metrics = {}
    for key, buffer in scalars.items():
        if key.startswith('val/rotation/') and hasattr(buffer, 'current'):
            try:
                metrics[key[len('val/'):]] = float(buffer.current())
            except (ValueError, TypeError):
                continue
    return metrics


def _source_config(cfg_text: Optional[str]):
    """The config a checkpoint records (None if it records none, or one that no longer parses)."""
    if not cfg_text:
        return None
    from mmengine.config import Config
    try:
        return Config.fromstring(cfg_text, '.py')
    # an outdated config (its syntax, names, imports or base files gone) must not stop the export; other errors
    # (MMEngine's API changed, a bug here) must not silently read every export as RGB input
    except (SyntaxError, NameError, ImportError, OSError, KeyError, AttributeError):
        return None


def backbone_config_text(cfg_text: Optional[str]) -> str:
    """The ``model.backbone`` part of a config text, for error messages ('' if unknown)."""
    cfg = _source_config(cfg_text)
    if cfg is None or 'backbone' not in cfg.get('model', {}):
        return ''
    backbone = cfg.model.backbone
    return str(dict(backbone.to_dict() if hasattr(backbone, 'to_dict') else backbone))


def _checkpoint_source(path: PathLike, validations: Optional[Dict[int, Dict[str, float]]]) -> Tuple[dict, dict]:
    """The state dict of a training checkpoint (or a work dir's latest) and the meta of its origin."""
    ckpt_path = resolve_checkpoint(path)
    checkpoint = load_checkpoint_file(ckpt_path, map_location='cpu')
    state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict):
        raise BackboneCheckpointError(f'{ckpt_path}: holds no state dict')
    meta_in = checkpoint.get('meta') or {}
    epoch, cfg_text = meta_in.get('epoch'), meta_in.get('cfg') or ''
    source = _source_config(cfg_text)
    meta = {
        'source_checkpoint': osp.abspath(ckpt_path),
        'source_config': cfg_text,
        'backbone_config': backbone_config_text(cfg_text),
        'input': config_input(source) if source is not None else RGB,
        'epoch': _plain(epoch) if epoch is not None else -1,
        'iter': _plain(meta_in.get('iter')) if meta_in.get('iter') is not None else -1,
    }
    metrics = {k: v for k, v in (validations or {}).get(epoch, {}).items() if k.startswith('rotation/')}
    if metrics:
        meta['val_metrics_source'] = f'validation after epoch {epoch} (scalars.json)'
    else:
        metrics = _val_metrics_from_message_hub(checkpoint)
        if metrics:
            meta['val_metrics_source'] = 'last validation before this checkpoint was saved (message hub)'
    meta.update({f'val/{key}': _plain(value) for key, value in metrics.items()})
    return state, meta


def export_backbone(source: Union[PathLike, nn.Module],
                    out: PathLike,
                    prefix: str = 'backbone.',
                    validations: Optional[Dict[int, Dict[str, float]]] = None) -> dict:
    """Write the backbone of a training checkpoint, a work dir's latest checkpoint, or a model in
    memory (``model.backbone``; wrappers such as DDP are looked through) as a plain tensor file.

    Args:
        validations: the run's validation metrics by epoch, as its log has them (the tools read it:
            ``mmrot3d_harness.run_logs.validations``), so that the export records the validation of exactly its
            checkpoint's weights; without them, the last validation before the checkpoint was saved (its
            message hub), which for an epoch-based run is the epoch before.

    Returns:
        the ``meta`` dict written next to the tensors.
    """
    if isinstance(source, nn.Module):
        model = getattr(source, 'module', source)
        state = model.state_dict()
        meta = {'source_checkpoint': '', 'source_model': type(model).__name__, 'epoch': -1, 'iter': -1}
        where = f'model {type(model).__name__}'
    else:
        state, meta = _checkpoint_source(source, validations)
        where = meta['source_checkpoint']
    state = {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}
    tensors = {
        k[len(prefix):]: v.detach().cpu().clone()
        for k, v in state.items() if k.startswith(prefix) and isinstance(v, torch.Tensor)
    }
    if not tensors:
        heads = sorted({k.split('.')[0] for k in state})
        raise BackboneCheckpointError(f'{where}: no tensors under "{prefix}" (top-level modules: '
                                      f'{", ".join(heads) or "none"})')
    meta = {
        'format':
        FORMAT,
        **meta,
        'num_tensors':
        len(tensors),
        'num_parameters':
        int(
            sum(v.numel() for k, v in tensors.items()
                if v.is_floating_point() and not k.endswith(('running_mean', 'running_var')))),
        'exported_at':
        datetime.now(timezone.utc).isoformat(timespec='seconds'),
    }
    save_checkpoint_file({'state_dict': tensors, 'meta': meta}, out)
    return meta


def _load_file(path: PathLike):
    """The loaded object of a backbone file (weights only), an MMEngine ``{'state_dict': ...}`` unwrapped,
    and the file's ``meta``."""
    path = osp.expanduser(str(path))
    if not osp.isfile(path):
        raise BackboneCheckpointError(
            f'{path}: pretrained backbone file not found; make it from a pretraining run with: '
            f'python tools/export_backbone.py WORK_DIR --out {path}')
    try:
        obj = load_state_dict_file(path)
    except pickle.UnpicklingError:
        raise BackboneCheckpointError(
            f'{path}: not a plain tensor state dict (it pickles Python objects, like a full training '
            f'checkpoint); export its backbone first: python tools/export_backbone.py {path} '
            f'--out backbone.pth') from None
    if isinstance(obj, dict) and isinstance(obj.get('state_dict'), dict):
        return obj['state_dict'], obj.get('meta') or {}
    return obj, {}


def read_backbone_file(path: PathLike,
                       prefix: str = 'backbone.',
                       layout: Optional[str] = None) -> Tuple[Dict[str, torch.Tensor], dict]:
    """Read an export, or any file of tensors, with ``torch.load(weights_only=True)``, in MMAction2's
    backbone names.

    The tensors under ``prefix`` are the backbone's (a recognizer's ``backbone.``, a DDP model's
    ``module.backbone.``; nested entries such as ``model_state`` join with ``.``), the prefix removed; if
    none lies under it, all of them. Another codebase's layout (``torchvision``: ``stem.0.weight``, ...) is
    told by the keys unless ``layout`` names it, and converted; the conversion is added to the meta.
    """
    obj, meta = _load_file(path)
    tensors = tensors_by_path(obj)
    if not tensors:
        raise BackboneCheckpointError(f'{path}: expected a dict of tensors (or {{"state_dict": ...}}), '
                                      f'got {type(obj).__name__}{" without tensors" if isinstance(obj, dict) else ""}')
    state, conversion = to_mmaction2(select(tensors, prefix), layout)
    return state, {**meta, **conversion}


def check_backbone_state(module: nn.Module, state: Dict[str, torch.Tensor]) -> List[str]:
    """The problems (missing / unexpected / mis-shaped tensors) that keep ``state`` from loading."""
    return misfits(module.state_dict(), state)[1]


def misfit_hint(path: PathLike,
                targets: Dict[str, Dict[str, torch.Tensor]],
                prefix: str,
                layout: Optional[str],
                flag: Callable[[str, str], str],
                twins: Optional[Dict[str, str]] = None) -> str:
    """For a file that fits none of ``targets`` (name -> state dict): the closest way to read it, as one clause
    that names the ``flag`` that would make it fit (see :func:`~mmrot3d.models.converters.layouts.hint`)."""
    return hint(_load_file(path)[0], targets, prefix, layout, flag, twins)


def load_backbone_weights(module: nn.Module,
                          path: PathLike,
                          prefix: str = 'backbone.',
                          flag: Callable[[str, str], str] = plain_flag,
                          name: Optional[str] = None,
                          backbone_cfg: Optional[Mapping] = None,
                          input_kind: Optional[str] = None) -> Tuple[int, dict]:
    """Load a backbone file (an export, or another codebase's file: see :func:`read_backbone_file`) into
    ``module``: all tensors or none.

    Returns:
        the number of tensors loaded (every tensor of ``module.state_dict()``) and the file's meta.

    Raises:
        BackboneCheckpointError: the file is missing, is not a plain tensor file, or does not fit
            ``module`` exactly (missing keys, unexpected keys, or different shapes); the message says how
            the file would fit (``flag(kind, value)`` words the setting: kind ``prefix`` or ``format``;
            ``name`` is the module's in the message, default ``model.<prefix>``), or holds torchvision's
            model while ``backbone_cfg`` (the module's config, if given) is not the network it computes, or was
            exported from a pretraining whose input (RGB or residual frames) differs from ``input_kind`` (the
            input the run feeds the module, if given).
    """
    state, meta = read_backbone_file(path, prefix)
    if input_kind and meta.get('input', input_kind) != input_kind:
        raise BackboneCheckpointError(
            f'{path} was pretrained on {meta["input"]} input and {name or "model.backbone"} is fed {input_kind} '
            f'input: one backbone must see the same input at every stage; use a config whose pipeline gives '
            f'{meta["input"]} input (ResidualFrames: the *-residual.py configs), or a backbone pretrained on '
            f'{input_kind}')
    problems = check_backbone_state(module, state)
    if problems:
        origin = f'; the file was exported from backbone {meta["backbone_config"]}' \
            if meta.get('backbone_config') else ''
        target = name or f'model.{prefix.rstrip(".") or "backbone"}'
        advice = misfit_hint(path, {target: module.state_dict()}, prefix, None, flag)
        raise BackboneCheckpointError(f'{path} does not fit {target} ({type(module).__name__}): '
                                      f'{"; ".join(problems)}{origin}{"; " + advice if advice else ""}')
    model = meta.get('torchvision_model')
    differences = twin_differences(backbone_cfg, model) if model and backbone_cfg is not None else []
    if differences:  # the same tensors, another function (e.g. a max pooling torchvision's model does not have)
        raise BackboneCheckpointError(
            f'{path} holds torchvision\'s {model}, and {name or "model.backbone"} has its tensors but not its '
            f'architecture: {", ".join(differences)}; use the backbone of {TORCHVISION_TWINS[model]}')
    module.load_state_dict(state, strict=True)
    return len(state), meta


def describe_export(meta: dict) -> str:
    """One line about an export's origin."""
    parts = [f'epoch {meta.get("epoch")}', f'iter {meta.get("iter")}']
    if 'val/rotation/top1' in meta:
        parts.append(f'val rotation/top1 {meta["val/rotation/top1"]:.4f}')
    source = meta.get('source_checkpoint') or f'model {meta.get("source_model", "?")}'
    return f'{source} ({", ".join(parts)})'
