"""Checkpoint files: safe loading, a local record of the checkpoints our own runs wrote, atomic saving.

Anything loaded from disk goes through :func:`load_checkpoint_file`: plain tensor state dicts
load with ``torch.load(weights_only=True)``, which cannot run code. A full MMEngine training
checkpoint also pickles Python objects (message hub history, numpy scalars), so it only loads
with full unpickling, and we allow that only for files whose SHA-256 this machine's user's own
runs recorded when they wrote them (:func:`save_checkpoint_file`; a run records its checkpoints with
``runner_type = 'SafeCheckpointRunner'``, which our configs set). A file from anyone else that carries
pickled objects is refused before any of its code can run.
"""
import hashlib
import io
import os
import os.path as osp
import pickle
import re
from pathlib import Path
from typing import Any, Optional, Union

import torch

from .atomic_io import write_bytes_atomic

PathLike = Union[str, Path]


class UntrustedCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds pickled Python objects and does not come from one of our own runs."""


def trust_store_path() -> Path:
    """The file that records the SHA-256 of every checkpoint our runs wrote on this machine."""
    default = Path(os.environ.get('XDG_CACHE_HOME', Path.home() / '.cache')) / 'mmrot3d' / 'trusted_checkpoints.txt'
    return Path(os.environ.get('MMROT3D_TRUST_STORE', default))


def file_sha256(path: PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def trust_checkpoint(path: PathLike) -> str:
    """Record ``path`` as written by the user's own run; returns its SHA-256."""
    sha = file_sha256(path)
    store = trust_store_path()
    store.parent.mkdir(parents=True, exist_ok=True)
    with open(store, 'a') as f:  # one short append per checkpoint: safe across concurrent runs
        f.write(f'{sha} {osp.abspath(path)}\n')
    return sha


def is_trusted_checkpoint(path: PathLike) -> bool:
    store = trust_store_path()
    if not store.is_file():
        return False
    trusted = {line.split(' ', 1)[0] for line in store.read_text().splitlines() if line}
    return file_sha256(path) in trusted


def load_checkpoint_file(path: PathLike, map_location: Any = None) -> Any:
    """Load a local checkpoint, unpickling Python objects only for files our own runs wrote.

    Raises:
        FileNotFoundError: ``path`` is not a file.
        UntrustedCheckpointError: the file needs full unpickling and is not in the trust store.
    """
    path = osp.expanduser(str(path))
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} can not be found.')
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        if not is_trusted_checkpoint(path):
            found = re.search(r'Unsupported global: (?:GLOBAL )?([\w.]+)', str(err))
            what = f' (e.g. {found.group(1)})' if found else ''
            raise UntrustedCheckpointError(
                f'{path}: refusing to unpickle Python objects{what} from a checkpoint that none of your '
                f'runs on this machine wrote; load a plain tensor state dict instead '
                f'(tools/export_backbone.py makes one), or if you trust where it comes from, '
                f'run: python tools/trust_checkpoint.py {path}') from None
    return torch.load(path, map_location=map_location, weights_only=False)


def save_checkpoint_file(checkpoint: Any, path: PathLike) -> None:
    """Save atomically (see :mod:`~mmrot3d.utils.atomic_io`, with the user's umask) and record the file as ours.

    The file appears under its final name only once completely written, so a run killed mid-save never
    leaves a truncated checkpoint behind.
    """
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    write_bytes_atomic(str(path), buffer.getvalue())
    trust_checkpoint(path)


def load_state_dict_file(path: PathLike, map_location: Optional[str] = 'cpu') -> dict:
    """Load a plain tensor state dict (never unpickles objects)."""
    return torch.load(path, map_location=map_location, weights_only=True)
