"""Writing files so that a reader (or a resumed run) sees the old content or the new, never a part.

A file is written to a temporary file beside it, flushed to disk and renamed over the target. The
temporary file is created like ``open(path, 'wb')`` would create the target (mode ``0o666`` minus the
user's umask), so a teammate reads a checkpoint exactly as they would read any other file of yours.
"""
import glob
import os
import os.path as osp
import re
import secrets
from typing import Optional, Tuple

_PERIODIC = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


def _create_beside(path: str) -> Tuple[int, str]:
    """A new temporary file ``.<name>.<random>.tmp`` in ``path``'s folder, opened for writing."""
    folder, name = osp.split(osp.abspath(path))
    while True:
        tmp = osp.join(folder, f'.{name}.{secrets.token_hex(4)}.tmp')
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue


def write_bytes_atomic(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data``: complete under its final name, or not there at all."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.unlink(tmp)
        raise


def write_text_atomic(path: str, text: str) -> None:
    """:func:`write_bytes_atomic` for UTF-8 text."""
    write_bytes_atomic(path, text.encode('utf-8'))


def newest_complete_checkpoint(work_dir: str) -> Optional[str]:
    """The latest ``epoch_N.pth`` / ``iter_N.pth`` in ``work_dir`` (temp files of interrupted saves are
    hidden ``.name.*.tmp`` files and never match)."""
    found = []
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        match = _PERIODIC.match(osp.basename(path))
        if match and osp.isfile(path):
            found.append((osp.getmtime(path), int(match.group(2)), path))
    return max(found)[2] if found else None


def find_latest_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint to resume in ``work_dir``: the one ``last_checkpoint`` names, or when that pointer is
    missing, torn (MMEngine's CheckpointHook writes it with a plain ``open(..., 'w')``, so a kill can
    leave it empty or cut) or names a file that is gone, the newest complete ``epoch_N``/``iter_N.pth``.
    """
    from mmengine.logging import print_log

    pointer = osp.join(work_dir, 'last_checkpoint')
    named = ''
    if osp.exists(pointer):
        with open(pointer) as f:
            named = f.read().strip()
        if named and ('://' in named or osp.isfile(named)):
            return named
    fallback = newest_complete_checkpoint(work_dir)
    if osp.exists(pointer):
        print_log(
            f'{pointer} names {named!r}, which is not a checkpoint file (interrupted write?); '
            f'resuming from the newest complete checkpoint: {fallback}',
            logger='current',
            level=30)
    elif fallback:
        print_log(
            f'{work_dir} has no last_checkpoint; resuming from the newest complete checkpoint: {fallback}',
            logger='current',
            level=30)
    return fallback
