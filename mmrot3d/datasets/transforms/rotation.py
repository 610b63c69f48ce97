from typing import Dict, Sequence

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...structures.rotation import DEFAULT_ANGLES, angles_to_turns, check_square, rot90_array, rot90_frames


@TRANSFORMS.register_module()
class VideoRotation(BaseTransform):
    """Rotate every frame of a clip by the same multiple of 90 degrees and record the label.

    Place it after cropping, before or after ``FormatShape``, and pack the label with
    ``PackActionInputs(algorithm_keys=('rotation_label',))``.

    Args:
        angles: the rotation set, degrees counter-clockwise; label ``i`` means ``angles[i]``.
        mode: ``'random'`` draws one rotation per clip (the pipeline recipe of re-implementations);
            ``'all'`` emits every rotation of the clip, as the paper trains (a batch of ``B``
            clips then holds ``B * len(angles)`` rotated clips).

    Required keys: ``imgs`` -- a list of ``(H, W, C)`` frames, or a formatted array ``(..., H, W)``
    (``NCTHW``/``NCHW``); ``num_clips`` for a frame list in ``'all'`` mode.

    Modified keys: ``imgs``; in ``'all'`` mode the copies are concatenated rotation-major (frame
    lists: ``num_clips`` is multiplied by ``len(angles)``; arrays: along axis 0).

    Added keys: ``rotation_label`` -- ``int64`` array, one label per rotated copy.
    """

    def __init__(self, angles: Sequence[int] = DEFAULT_ANGLES, mode: str = 'random') -> None:
        if mode not in ('random', 'all'):
            raise ValueError(f"VideoRotation: mode={mode!r}; use 'random' or 'all'")
        self.angles = tuple(angles)
        self.turns = angles_to_turns(self.angles)
        self.mode = mode

    def transform(self, results: Dict) -> Dict:
        imgs = results['imgs']
        is_list = isinstance(imgs, (list, tuple))
        height, width = imgs[0].shape[:2] if is_list else imgs.shape[-2:]
        check_square(height, width, self.turns, 'VideoRotation')
        rotate = rot90_frames if is_list else rot90_array

        if self.mode == 'random':
            labels = np.array([np.random.randint(len(self.turns))], dtype=np.int64)
        else:
            labels = np.arange(len(self.turns), dtype=np.int64)
        copies = [rotate(imgs, self.turns[label]) for label in labels]

        if is_list:
            results['imgs'] = [frame for copy in copies for frame in copy]
            results['num_clips'] = results.get('num_clips', 1) * len(copies)
        else:
            results['imgs'] = np.concatenate(copies, axis=0)
            results['input_shape'] = results['imgs'].shape
        results['rotation_label'] = labels
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(angles={self.angles}, mode={self.mode!r})'
