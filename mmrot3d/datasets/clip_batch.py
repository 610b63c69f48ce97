"""A batch's clips handed from a loader worker to the training process as one block of shared memory.

MMEngine's ``pseudo_collate`` leaves a batch's clips a list of tensors, and the loader hands every tensor
over in a shared-memory block of its own, whose file descriptor the training process fetches from the
worker one round trip at a time: 32 round trips per step of the pretraining recipe, in the process that
also drives the GPU. ``clip_batch_collate`` is ``pseudo_collate`` whose ``inputs`` are views of one
stacked tensor, handed over as that tensor: the same list of the same clips arrives, in one block.
"""
from typing import Any, List, Optional, Sequence

import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import FUNCTIONS
from torch.utils.data import default_collate


def _from_stacked(stacked: torch.Tensor) -> 'ClipBatch':
    return ClipBatch.of_stacked(stacked)


class ClipBatch(list):
    """A list of ``B`` clip tensors ``(V, C, T, H, W)`` that are views of one ``(B, V, C, T, H, W)``
    tensor, and pickle (the loader's hand-over) as that tensor. Everything else sees a list."""
    stacked: Optional[torch.Tensor] = None

    @classmethod
    def of_stacked(cls, stacked: torch.Tensor) -> 'ClipBatch':
        batch = cls(stacked.unbind(0))
        batch.stacked = stacked
        return batch

    @classmethod
    def of(cls, clips: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """The clips stacked (inside a loader worker, straight into shared memory); clips that differ in
        shape or dtype stay the plain list they were."""
        if not clips or not all(
                torch.is_tensor(c) and c.shape == clips[0].shape and c.dtype == clips[0].dtype for c in clips):
            return list(clips)
        return cls.of_stacked(default_collate(list(clips)))

    def __reduce__(self):
        if not self._views_of_stacked():  # changed since it was stacked: handed over as the list it is
            return list, (list(self), )
        return _from_stacked, (self.stacked, )

    def _views_of_stacked(self) -> bool:
        return self.stacked is not None and len(self) == len(self.stacked) and all(
            torch.is_tensor(c) and c.data_ptr() == row.data_ptr() and c.shape == row.shape
            for c, row in zip(self, self.stacked))


# MMEngine's Runner looks a collate_fn up in its own registry (not a scope's child registry), as pseudo_collate
@FUNCTIONS.register_module()
def clip_batch_collate(data_batch: Sequence, _scope_: Optional[str] = None) -> Any:
    """``pseudo_collate``, with a batch's ``inputs`` handed over in one block (:class:`ClipBatch`).
    Use it with ``train_dataloader = dict(collate_fn=dict(type='clip_batch_collate'), ...)``.

    ``_scope_``: unused; MMEngine's Runner passes a ``collate_fn`` dict's keys on as arguments, and a config
    inherited through ``mmrot3d::`` tags that dict with its scope.
    """
    batch = pseudo_collate(data_batch)
    if isinstance(batch, dict) and isinstance(batch.get('inputs'), list):
        batch['inputs'] = ClipBatch.of(batch['inputs'])
    return batch
