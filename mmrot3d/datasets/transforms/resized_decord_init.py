import io
from typing import Dict, Tuple

import mmcv
from mmaction.datasets.transforms import DecordInit, Resize
from mmaction.registry import TRANSFORMS
from mmengine.fileio import FileClient


def video_size(data: bytes) -> Tuple[int, int]:
    """``(width, height)`` of a video, from its first frame (decord: the one decoder the pipelines use)."""
    import decord
    height, width, _ = decord.VideoReader(io.BytesIO(data), num_threads=1)[0].shape
    return width, height


@TRANSFORMS.register_module()
class ResizedDecordInit(DecordInit):
    """``DecordInit`` + ``Resize(scale)`` in one step: decord decodes every frame straight to the resized size.

    FFmpeg then converts each decoded frame to RGB at the small size (swscale, bicubic) instead of
    converting it at full size and resizing it with OpenCV (bilinear) afterwards: the pipeline needs
    no ``Resize`` step and decoding itself gets cheaper (``performance/decode_reuse.py``). The size is
    ``Resize(scale, keep_ratio=True)``'s, computed from the file's first frame (decoded once at full size
    to learn it). Pixels differ from DecordInit + Resize by the interpolation (a few grey levels).

    Args:
        scale: as ``Resize``'s ``scale`` with ``keep_ratio=True``, e.g. ``(-1, 128)``: short side 128.
        num_threads, io_backend, **kwargs: as for ``DecordInit``.

    Added keys: as ``DecordInit`` (``video_reader``, ``total_frames``, ``avg_fps``) and
    ``original_shape`` (``(H, W)`` of the file, before resizing).
    """

    def __init__(self, scale=(-1, 128), **kwargs) -> None:
        super().__init__(**kwargs)
        self.scale = Resize(scale=scale).scale  # Resize's own reading of scale: (inf, short side) for (-1, s)

    def transform(self, results: Dict) -> Dict:
        import decord
        if self.file_client is None:  # built on first use, in the worker, as DecordInit does
            self.file_client = FileClient(self.io_backend, **self.kwargs)
        data = self.file_client.get(results['filename'])
        width, height = video_size(data)
        new_width, new_height = mmcv.rescale_size((width, height), self.scale)
        reader = decord.VideoReader(io.BytesIO(data), num_threads=self.num_threads, width=new_width, height=new_height)
        results.update(
            video_reader=reader, total_frames=len(reader), avg_fps=reader.get_avg_fps(), original_shape=(height, width))
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(scale={self.scale}, num_threads={self.num_threads})'
