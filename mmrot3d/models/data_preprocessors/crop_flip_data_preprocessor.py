from typing import List, Sequence, Tuple

import numpy as np
import torch
from mmaction.models.data_preprocessors import ActionDataPreprocessor
from mmaction.registry import MODELS
from mmaction.utils import SampleList


@MODELS.register_module()
class CropFlipDataPreprocessor(ActionDataPreprocessor):
    """``ActionDataPreprocessor`` that also does the training crop and flip, on the model's device.

    With it the data pipeline stops after decoding and resizing (``DecordDecode``, ``Resize``,
    ``FormatShape``, ``PackActionInputs``): the loader's CPU only decodes, and the uint8 clips are
    cropped, flipped and normalised where the model runs. With ``RotationRecognizer(rotate_in_model=True)``
    the rotations follow in the model, so the whole augmentation after decoding is on the device.

    The random choices are MMAction2's, drawn from the same generator in the same order, so a seeded
    run gives the crops and flips the pipeline's ``RandomCrop(size) + Flip(flip_ratio)`` would give
    to the same clips in the same order (``tests/models/data_preprocessors``):

    * crop: top-left ``(y, x)`` with ``y = np.random.randint(0, H - size)`` if ``H > size`` (else 0),
      then ``x`` likewise -- as ``RandomCrop``, the last position ``H - size`` is never drawn;
    * flip: horizontal, if ``np.random.rand() < flip_ratio``.

    Outside training (validation, test) every clip gets a centre crop, as ``CenterCrop``; a clip that
    the pipeline already cropped to ``crop_size`` passes unchanged. Each data sample records
    ``crop_bbox`` (``x1, y1, x2, y2``) and ``flip`` in its metainfo, as the pipeline steps do.

    Args:
        crop_size: side of the square crop (pixels).
        flip_ratio: probability of a horizontal flip in training.
        **kwargs: as for ``ActionDataPreprocessor`` (``mean``, ``std``, ``format_shape``...).

    Inputs: a list of uint8 clips ``(V, C, T, H, W)`` (``NCTHW``) or ``(F, C, H, W)`` (``NCHW``); clips
    may differ in ``H, W`` (a short-side resize keeps each video's aspect ratio). Output:
    ``(N, V, C, T, crop_size, crop_size)`` (or ``(N, F, C, crop_size, crop_size)``), normalised floats.
    """

    def __init__(self, crop_size: int = 112, flip_ratio: float = 0.5, **kwargs) -> None:
        super().__init__(**kwargs)
        if isinstance(crop_size, bool) or not isinstance(crop_size, int) or crop_size < 1:
            raise ValueError(f'CropFlipDataPreprocessor: crop_size={crop_size!r}; give the side of the square '
                             'crop in pixels, e.g. crop_size=112')
        if not 0 <= flip_ratio <= 1:
            raise ValueError(f'CropFlipDataPreprocessor: flip_ratio={flip_ratio!r}; give a probability in [0, 1]')
        self.crop_size = crop_size
        self.flip_ratio = flip_ratio

    def draw(self, height: int, width: int) -> Tuple[int, int, bool]:
        """``(y, x, flip)`` for one clip, drawn as ``RandomCrop`` then ``Flip`` draw them."""
        y = int(np.random.randint(0, height - self.crop_size)) if height > self.crop_size else 0
        x = int(np.random.randint(0, width - self.crop_size)) if width > self.crop_size else 0
        return y, x, bool(np.random.rand() < self.flip_ratio)

    def crop_flip(self, clips: Sequence[torch.Tensor], boxes: Sequence[Tuple[int, int, bool]]) -> List[torch.Tensor]:
        """Crop clip ``i`` at ``boxes[i] = (y, x, flip)`` and flip it horizontally if ``flip``."""
        size = self.crop_size
        out = []
        for clip, (y, x, flip) in zip(clips, boxes):
            crop = clip[..., y:y + size, x:x + size]
            out.append(crop.flip(-1) if flip else crop)
        return out

    def preprocess(self, inputs: List[torch.Tensor], data_samples: SampleList, training: bool = False) -> Tuple:
        size = self.crop_size
        boxes = []
        for i, clip in enumerate(inputs):
            height, width = clip.shape[-2:]
            if height < size or width < size:
                raise ValueError(f'CropFlipDataPreprocessor: clip {i} of the batch is {height}x{width} (HxW), smaller '
                                 f'than crop_size={size}; resize it to at least {size} in the pipeline, e.g. '
                                 f'Resize(scale=(-1, {size + size // 7}))')
            boxes.append(self.draw(height, width) if training else ((height - size) // 2, (width - size) // 2, False))
        for sample, (y, x, flip) in zip(data_samples or [], boxes):
            sample.set_metainfo(dict(crop_bbox=np.array([x, y, x + size, y + size]), flip=flip, img_shape=(size, size)))
        return super().preprocess(self.crop_flip(inputs, boxes), data_samples, training)
