"""Test-only: pause a training subprocess at a chosen instant, so a test can SIGKILL it right there.

Imported at start-up by ``sitecustomize.py`` (this folder is on the run's PYTHONPATH) when
``MMROT3D_PAUSE`` is set; production code has no test switches. ``MMROT3D_PAUSE`` selects the instant:

* ``iter:E:I`` -- after iteration I (1-based) of epoch E, i.e. mid-epoch;
* ``save:NAME`` -- while checkpoint NAME is being written: half of its bytes are on disk (in the
  temporary file that becomes NAME only once complete).

The run prints ``PAUSED`` and sleeps; the test kills it.
"""
import io
import os
import sys
import time

import torch
from mmengine.runner import EpochBasedTrainLoop

POINT = os.environ.get('MMROT3D_PAUSE', '')


def pause():
    print('PAUSED', flush=True)
    sys.stderr.flush()
    time.sleep(600)


if POINT.startswith('iter:'):
    epoch, inner = (int(x) for x in POINT.split(':')[1:])
    run_iter = EpochBasedTrainLoop.run_iter

    def paused_run_iter(self, idx, data_batch):
        run_iter(self, idx, data_batch)
        if self.epoch + 1 == epoch and idx + 1 == inner:
            pause()

    EpochBasedTrainLoop.run_iter = paused_run_iter

if POINT.startswith('save:'):
    name = POINT.split(':', 1)[1]
    save = torch.save

    def file_name(f):
        path = getattr(f, 'name', '')
        if isinstance(path, int):  # os.fdopen() files are named by their descriptor
            path = os.readlink(f'/proc/self/fd/{path}')
        return os.path.basename(str(path))

    def half_save(obj, f, *args, **kwargs):
        if not file_name(f).startswith(f'.{name}.'):
            return save(obj, f, *args, **kwargs)
        buffer = io.BytesIO()
        save(obj, buffer, *args, **kwargs)
        data = buffer.getvalue()
        f.write(data[:len(data) // 2])
        f.flush()
        os.fsync(f.fileno())
        pause()

    torch.save = half_save
