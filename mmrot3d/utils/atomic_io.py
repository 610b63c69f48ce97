"""Resuming after a kill at any instant, including while MMEngine writes ``last_checkpoint``.

Checkpoints themselves are written atomically (``checkpoint.save_checkpoint_file``), so a file
under its final name is always complete. MMEngine's ``CheckpointHook`` then writes the text pointer
``<work_dir>/last_checkpoint`` with a plain ``open(..., 'w')``: a kill between the truncation and the
write leaves it empty (or holding part of a path), and ``--resume`` then fails (``resume('')``) or
starts from scratch. The pointer is only a hint: when it is unusable we take the newest complete
``epoch_N.pth`` / ``iter_N.pth`` in the work dir, which is what it would have named.
"""
import glob
import os
import os.path as osp
import re
import tempfile
from typing import Optional

_PERIODIC = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


def write_text_atomic(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old or the new content, never a mix."""
    folder = osp.dirname(osp.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(path)}.', suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'w') as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.unlink(tmp)
        raise


def newest_complete_checkpoint(work_dir: str) -> Optional[str]:
    """The latest ``epoch_N.pth`` / ``iter_N.pth`` in ``work_dir`` (temp files of interrupted saves are
    hidden ``.name.*.tmp`` files and never match)."""
    found = []
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        match = _PERIODIC.match(osp.basename(path))
        if match and osp.isfile(path):
            found.append((osp.getmtime(path), int(match.group(2)), path))
    return max(found)[2] if found else None


def find_latest_checkpoint(path: str) -> Optional[str]:
    """Drop-in for ``mmengine.runner.checkpoint.find_latest_checkpoint`` that survives a torn pointer."""
    from mmengine.logging import print_log

    pointer = osp.join(path, 'last_checkpoint')
    named = ''
    if osp.exists(pointer):
        with open(pointer) as f:
            named = f.read().strip()
        if named and ('://' in named or osp.isfile(named)):
            return named
    fallback = newest_complete_checkpoint(path)
    if osp.exists(pointer) or fallback:
        print_log(f'{pointer} names {named!r}, which is not a checkpoint file (interrupted write?); '
                  f'resuming from the newest complete checkpoint: {fallback}', logger='current', level=30)
    else:
        print_log('Did not find last_checkpoint to be resumed.', logger='current')
    return fallback


def make_resume_robust() -> None:
    from mmengine.runner import checkpoint as mm_checkpoint
    from mmengine.runner import runner as mm_runner

    # runner.py imported the function by name, so both module attributes are replaced
    mm_checkpoint.find_latest_checkpoint = find_latest_checkpoint
    mm_runner.find_latest_checkpoint = find_latest_checkpoint
