from typing import Dict

from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...structures.video_input import residual_frames


@TRANSFORMS.register_module()
class ResidualFrames(BaseTransform):
    """Replace a clip's frames by their differences: ``frames[t + step] - frames[t]``, offset to mid-grey.

    A clip of ``T + step`` sampled frames becomes ``T`` residual frames: sample one more frame than the network
    takes (``SampleFrames(clip_len=T + step, ...)``). Place it after the crop and flip (the same pixels in every
    frame of a clip) and before ``VideoRotation``/``FormatShape``; a rotation commutes with it, so rotating in the
    model (``rotate_in_model``) gives the same clips. An export records the input it was pretrained on
    (:mod:`mmrot3d.structures.video_input`), and a run whose pipeline feeds another is refused before step 1.

    Args:
        step: the offset, in sampled frames, of the frames subtracted (1: consecutive sampled frames).

    Required keys: ``imgs`` (a list of ``(H, W, C)`` frames: ``num_clips`` clips of ``clip_len`` frames, clip after
    clip, as ``SampleFrames`` samples them), ``clip_len``. Modified keys: ``imgs``, ``clip_len`` (``step`` fewer
    frames per clip).
    """

    def __init__(self, step: int = 1) -> None:
        if step < 1:
            raise ValueError(f'ResidualFrames: step={step}; give an offset of at least 1 sampled frame')
        self.step = step

    def transform(self, results: Dict) -> Dict:
        frames, clip_len = list(results['imgs']), results['clip_len']
        if len(frames) % clip_len:
            raise ValueError(f'ResidualFrames: {len(frames)} frames are not whole clips of clip_len={clip_len}: place '
                             'it right after the sampling, decoding and cropping, before any step that adds copies')
        results['imgs'] = [
            frame for start in range(0, len(frames), clip_len)
            for frame in residual_frames(frames[start:start + clip_len], self.step)
        ]
        results['clip_len'] = clip_len - self.step
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(step={self.step})'
