"""Test-only: pause a training subprocess at a chosen instant, so a test can SIGKILL it right there.

Imported at start-up by ``sitecustomize.py`` (this folder is on the run's PYTHONPATH) when
``MMROT3D_PAUSE`` is set; production code has no test switches. ``MMROT3D_PAUSE`` selects the instant:

* ``iter:E:I`` -- after iteration I (1-based) of epoch E, i.e. mid-epoch;
* ``save:NAME`` -- while checkpoint NAME is being written: half of its bytes are on disk (in the
  temporary file that becomes NAME only once complete).

The run prints ``PAUSED`` and sleeps; the test kills it.
"""
import os
import sys
import time

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
    fdopen = os.fdopen

    class HalfWriter:
        """Writes half of the first block it is given to disk, then pauses."""

        def __init__(self, f):
            self.f = f

        def write(self, data):
            self.f.write(data[:len(data) // 2])
            self.f.flush()
            os.fsync(self.f.fileno())
            pause()

        def __getattr__(self, attr):
            return getattr(self.f, attr)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.f.__exit__(*exc)

    def fdopen_pausing(fd, *args, **kwargs):
        f = fdopen(fd, *args, **kwargs)
        # the atomic writer opens its temporary file ``.NAME.<random>.tmp`` by descriptor
        if os.path.basename(os.readlink(f'/proc/self/fd/{fd}')).startswith(f'.{name}.'):
            return HalfWriter(f)
        return f

    os.fdopen = fdopen_pausing
