from typing import Dict, Sequence

from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class DropKeys(BaseTransform):
    """Remove ``keys`` from the results, e.g. ``label`` where nothing uses the class labels.

    Rotation pretraining never reads a video's class label, but ``PackActionInputs`` packs it as a
    one-element tensor, and a DataLoader worker hands every tensor to the training process in a
    shared-memory block of its own, with a file-descriptor round trip: for the one-element label that
    costs about half of what handing over the 0.6 MB clip does (``performance/decode_reuse.py``).
    Place it before ``PackActionInputs``.

    Args:
        keys: the result keys to remove (absent keys are ignored).
    """

    def __init__(self, keys: Sequence[str]) -> None:
        if isinstance(keys, str) or not all(isinstance(k, str) for k in keys):
            raise TypeError(f"DropKeys: keys={keys!r}; give a tuple of key names, e.g. keys=('label', )")
        self.keys = tuple(keys)

    def transform(self, results: Dict) -> Dict:
        for key in self.keys:
            results.pop(key, None)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(keys={self.keys})'
