"""MMEngine's Runner with checkpoints that survive a kill at any instant and that its own resume trusts; building
it applies the upstream fixes our runs need (``upstream_fixes.FOR_RUNS``)."""
from typing import Optional

from mmaction.registry import RUNNERS
from mmengine.fileio import LocalBackend, register_backend
from mmengine.runner import Runner

from ...utils.atomic_io import find_latest_checkpoint, write_bytes_atomic
from ...utils.checkpoint import trust_checkpoint
from ...utils.upstream_fixes import FOR_RUNS, applied_fixes_message, apply_fixes

BACKEND = 'mmrot3d_checkpoint'


class SafeCheckpointBackend(LocalBackend):
    """Local files, each written atomically and recorded in the trust store (the checkpoints a run writes)."""

    def put(self, obj: bytes, filepath) -> None:
        write_bytes_atomic(str(filepath), obj)
        trust_checkpoint(filepath)


register_backend(BACKEND, SafeCheckpointBackend, force=True)  # force: a reimported module registers again


@RUNNERS.register_module()
class SafeCheckpointRunner(Runner):
    """``Runner`` whose checkpoints are complete or absent, readable by the user's group, and resumable.

    Turned on in a config with ``runner_type = 'SafeCheckpointRunner'`` (``configs/_base_/default_runtime.py``
    sets it; MMAction2's and our ``tools/train.py`` build ``runner_type``). Compared with MMEngine's Runner:

    * a checkpoint saved to a local folder goes to a temporary file beside it, is flushed and renamed
      (:func:`~mmrot3d.utils.atomic_io.write_bytes_atomic`, the user's umask), and is recorded in the trust
      store, so that ``--resume`` and ``load_from`` may unpickle it (:mod:`mmrot3d.utils.checkpoint`);
    * ``--resume`` without a file takes the checkpoint ``last_checkpoint`` names, or, when that pointer is
      missing, torn or stale, the newest complete ``epoch_N.pth`` / ``iter_N.pth``
      (:func:`~mmrot3d.utils.atomic_io.find_latest_checkpoint`) where MMEngine would fail or start over.

    Before MMEngine's Runner starts (the launcher, the model wrapper), it applies the upstream fixes a run needs
    where their breakage is present (:mod:`mmrot3d.utils.upstream_fixes`, ``FOR_RUNS``): where torch refuses
    full checkpoints, MMEngine's local loader loads weights-only, and fully the checkpoints in the trust store;
    without CUDA, torchrun uses gloo. Its log names every upstream fix applied in the process.
    """

    def __init__(self, *args, **kwargs) -> None:
        apply_fixes(FOR_RUNS)
        super().__init__(*args, **kwargs)
        self.logger.info(applied_fixes_message())

    def save_checkpoint(self,
                        out_dir: str,
                        filename: str,
                        file_client_args: Optional[dict] = None,
                        save_optimizer: bool = True,
                        save_param_scheduler: bool = True,
                        meta: Optional[dict] = None,
                        by_epoch: bool = True,
                        backend_args: Optional[dict] = None) -> None:
        if file_client_args is None and backend_args is None and '://' not in str(out_dir):
            backend_args = dict(backend=BACKEND)
        super().save_checkpoint(out_dir, filename, file_client_args, save_optimizer, save_param_scheduler, meta,
                                by_epoch, backend_args)

    def load_or_resume(self) -> None:
        if self._resume and self._load_from is None and not self._has_loaded:
            latest = find_latest_checkpoint(self.work_dir)
            if latest is None:
                self.logger.info(f'no checkpoint in {self.work_dir} to resume; training from the start')
                self._resume = False
            else:
                self._load_from = latest
        super().load_or_resume()
