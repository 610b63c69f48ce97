"""Crop letterbox and pillarbox bars, and a logo's edge strip, before the resize and crop: nothing of them reaches
the network to tell a rotation by."""
import json
import os.path as osp
from typing import Dict, Optional

from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ..checks.borders import Borders, video_borders


def _read_bars_file(bars_file: str) -> Dict[str, Borders]:
    if not osp.isfile(bars_file):
        raise FileNotFoundError(
            f'CropBorders: bars_file={bars_file!r} does not exist; make it with python tools/check_dataset.py LIST '
            f'--data-prefix DIR --borders {bars_file} (or set bars_file=None: each loader worker then measures a '
            "video's bars when it first meets it, about 4x the CPU of a sample, docs/performance.md)")
    with open(bars_file) as f:
        listed = json.load(f)
    found = {}
    for path, fields in listed.items():
        if 'error' not in fields:
            fields = dict(fields, overlay=tuple(fields['overlay']) if fields.get('overlay') else None)
            found[osp.abspath(path)] = Borders(**fields)
    return found


@TRANSFORMS.register_module()
class CropBorders(BaseTransform):
    """Cut each video's bars off every decoded frame: detected once per video from ``num_frames`` frames spread
    over it (:func:`~mmrot3d.datasets.checks.borders.video_borders`), so every clip of a video loses the same
    rows and columns whatever frames it samples. A detection is kept for the process's life; ``bars_file`` (the
    JSON that ``tools/check_dataset.py LIST --borders FILE`` writes: ``{path: {top, bottom, left, right, ...}}``)
    spares the decoding for the videos it lists.

    Place it right after the decoding (``DecordDecode``), before ``Resize`` and any crop. With ``overlays``, a
    static overlay the same detection finds (a logo) goes too, with the thinnest strip from an edge that holds it
    (at most 30 % of the side): a logo kept would tell the rotation by the corner it sits in.

    Required keys: ``imgs`` (frames ``(H, W, C)``), ``filename``. Modified keys: ``imgs``, ``img_shape``.
    Added keys: ``borders`` (the :class:`Borders` fractions, as a dict).
    """

    def __init__(self, num_frames: int = 8, bars_file: Optional[str] = None, overlays: bool = True) -> None:
        if num_frames < 2:
            raise ValueError(f'CropBorders: num_frames={num_frames}; bars need at least 2 frames to compare')
        self.num_frames, self.bars_file, self.overlays = num_frames, bars_file, overlays
        self._found: Dict[str, Borders] = _read_bars_file(bars_file) if bars_file else {}

    def borders(self, filename: str) -> Borders:
        key = osp.abspath(filename)
        if key not in self._found:
            self._found[key] = video_borders(filename, self.num_frames)
        return self._found[key]

    def transform(self, results: Dict) -> Dict:
        found = self.borders(results['filename'])
        height, width = results['imgs'][0].shape[:2]
        y0, y1, x0, x1 = found.crop_box(height, width, self.overlays)
        if (y0, y1, x0, x1) != (0, height, 0, width):
            results['imgs'] = [frame[y0:y1, x0:x1] for frame in results['imgs']]
            results['img_shape'] = (y1 - y0, x1 - x0)
        results['borders'] = found.to_dict()
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_frames={self.num_frames}, bars_file={self.bars_file!r}, '
                f'overlays={self.overlays})')
