"""Controls that keep one cue of a clip and take the others away, for asking which cues a rotation model uses.

Each works on what the network sees: place it after the resize and crop (and before ``VideoRotation`` or
``FormatShape``), so that a band or a blur is measured on the network's input, not on the decoded frame that
the crop later cuts. Each takes ``imgs``, a list of ``T`` frames ``(H, W, C)`` (one clip), and returns the
same shapes; what fills a removed region is the clip's mean colour, so no edge is added where content was.

======================  ======================================================  ======================
transform               keeps                                                   takes away
======================  ======================================================  ======================
``StaticFrames``        one frame (the middle one) repeated                     motion
``ShuffleFrames``       every frame, in an order fixed per video                temporal order
``KeepBorder``          the outer band of ``band`` x the side                   the content inside it
``MaskBorder``          the content inside the band                             the band
``BlurFrames``          the coarse layout (Gaussian blur, ``sigma`` x the side)  detail and shape
======================  ======================================================  ======================
"""
import os.path as osp
import zlib
from typing import Dict, List

import cv2
import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


def _frames(results: Dict) -> List[np.ndarray]:
    imgs = results['imgs']
    if not isinstance(imgs, (list, tuple)) or not imgs or np.ndim(imgs[0]) != 3:
        raise TypeError('cue controls take imgs as a list of (H, W, C) frames: place them after the crop and '
                        'before FormatShape')
    if results.get('num_clips', 1) != 1:
        raise ValueError(f'cue controls take one clip per sample (num_clips={results["num_clips"]}): a control '
                         'changes a clip as a whole')
    return list(imgs)


def _mean_colour(frames: List[np.ndarray]) -> np.ndarray:
    return np.mean([f.reshape(-1, f.shape[-1]).mean(axis=0) for f in frames], axis=0).astype(frames[0].dtype)


def _band_pixels(band: float, height: int, width: int) -> int:
    return max(1, int(round(band * min(height, width))))


@TRANSFORMS.register_module()
class StaticFrames(BaseTransform):
    """Every frame replaced by the clip's middle frame: appearance without motion."""

    def transform(self, results: Dict) -> Dict:
        frames = _frames(results)
        middle = frames[len(frames) // 2]
        results['imgs'] = [middle.copy() for _ in frames]
        return results


@TRANSFORMS.register_module()
class ShuffleFrames(BaseTransform):
    """The frames in another order, drawn from the video's file name without its folder (the same for every run,
    every rotated copy, and wherever the data lie): motion without its direction in time. A clip of ``T > 1`` frames
    never keeps its own order."""

    def transform(self, results: Dict) -> Dict:
        frames = _frames(results)
        if len(frames) > 1:
            rng = np.random.default_rng(zlib.crc32(osp.basename(str(results.get('filename', ''))).encode()))
            order = np.arange(len(frames))
            while np.array_equal(order, np.arange(len(frames))):
                order = rng.permutation(len(frames))
            results['imgs'] = [frames[i] for i in order]
        return results


@TRANSFORMS.register_module()
class KeepBorder(BaseTransform):
    """Only the outer band kept, ``band`` x the shorter side wide; inside it, the clip's mean colour.

    Args:
        band: the band's width as a fraction of the shorter side of what the network sees (0 < band < 0.5).
    """

    def __init__(self, band: float = 0.125) -> None:
        if not 0 < band < 0.5:
            raise ValueError(f'KeepBorder: band={band}; give a fraction of the side in (0, 0.5)')
        self.band = band

    def transform(self, results: Dict) -> Dict:
        frames = _frames(results)
        height, width = frames[0].shape[:2]
        b, fill = _band_pixels(self.band, height, width), _mean_colour(frames)
        out = []
        for frame in frames:
            frame = frame.copy()
            frame[b:height - b, b:width - b] = fill
            out.append(frame)
        results['imgs'] = out
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(band={self.band})'


@TRANSFORMS.register_module()
class MaskBorder(KeepBorder):
    """The outer band, ``band`` x the shorter side wide, replaced by the clip's mean colour; the content kept."""

    def transform(self, results: Dict) -> Dict:
        frames = _frames(results)
        height, width = frames[0].shape[:2]
        b, fill = _band_pixels(self.band, height, width), _mean_colour(frames)
        out = []
        for frame in frames:
            kept = frame[b:height - b, b:width - b].copy()
            frame = np.empty_like(frame)
            frame[...] = fill
            frame[b:height - b, b:width - b] = kept
            out.append(frame)
        results['imgs'] = out
        return results


@TRANSFORMS.register_module()
class BlurFrames(BaseTransform):
    """A Gaussian blur of ``sigma`` x the shorter side: the coarse layout (bright above, dark below) without
    the shapes that carry an action.

    Args:
        sigma: the blur's standard deviation as a fraction of the shorter side (> 0).
    """

    def __init__(self, sigma: float = 0.05) -> None:
        if sigma <= 0:
            raise ValueError(f'BlurFrames: sigma={sigma}; give a fraction of the side > 0, e.g. 0.05')
        self.sigma = sigma

    def transform(self, results: Dict) -> Dict:
        frames = _frames(results)
        sigma = self.sigma * min(frames[0].shape[:2])
        results['imgs'] = [
            cv2.GaussianBlur(f, (0, 0), sigmaX=sigma, borderType=cv2.BORDER_REFLECT).reshape(f.shape) for f in frames
        ]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(sigma={self.sigma})'
