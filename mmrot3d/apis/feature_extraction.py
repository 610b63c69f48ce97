"""Features of a frozen backbone for other tasks: one vector per video, or snippet features for localisation.

Output folder::

    <out>/<video path without extension>.npy   pooled: (D,) float32; snippets: (S, D), one row per window
    <out>/features.txt                          "<feature file> <label>" per finished video, in list order
    <out>/skipped.txt                           "<video>: <reason> (LIST:LINE)" per bad video (named, left out)
    <out>/meta.json                             the settings; a resumed run must use the same ones

With ``fmt='csv'`` the files are ``.csv`` with a header line and one row per snippet, the layout
MMAction2's ``LoadLocalizationFeature`` reads (it transposes them to ``(D, S)``). A video whose file is
there is finished: runs resume by skipping them, and each rank of a ``torchrun`` job takes every
``world_size``-th video of the list.
"""
import copy
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
import torch
from mmengine.dist import barrier, get_dist_info

from .inference import load_config, load_weights

MODES = ('pooled', 'snippets')
# Bad videos are named and left out; more than this share of the list bad is an error (the features of
# the good ones are kept): the data or --data-root is wrong, not a few files.
MAX_BAD_FRACTION = 0.5


@dataclass
class ExtractionSettings:
    """``pooled``: ``num_clips`` clips spread over the video, features averaged (2D configs: their own test
    segments, averaged). ``snippets``: windows of
    ``window`` frames (default: the config's ``clip_len``) centred every ``stride`` frames (MMAction2's
    ``UntrimmedSampleFrames``), one feature row each."""
    mode: str = 'pooled'
    num_clips: int = 10
    window: Optional[int] = None
    stride: int = 16
    fmt: str = 'npy'
    batch_size: int = 8

    def validate(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f'mode={self.mode!r}; use one of {MODES}')
        if self.fmt not in ('npy', 'csv'):
            raise ValueError(f"fmt={self.fmt!r}; use 'npy' or 'csv'")
        if min(self.num_clips, self.stride, self.batch_size, self.window or 1) < 1:
            raise ValueError('num_clips, stride, window and batch_size must be >= 1')


def extraction_pipeline(cfg, s: ExtractionSettings) -> List[Dict]:
    """The config's test pipeline (else val pipeline) with its frame sampling set for ``s``."""
    pipeline = copy.deepcopy([dict(step) for step in (cfg.get('test_pipeline') or cfg.get('val_pipeline') or [])])
    sampling = [i for i, step in enumerate(pipeline) if step['type'] == 'SampleFrames']
    if len(sampling) != 1:
        raise ValueError(f'{cfg.filename}: its test_pipeline needs exactly one SampleFrames step to sample clips '
                         f'from (found {len(sampling)})')
    step = pipeline[sampling[0]]
    is_3d = any(t['type'] == 'FormatShape' and t.get('input_format') == 'NCTHW' for t in pipeline)
    if s.mode == 'pooled':
        # A 2D model's num_clips are the segments it was built for (TSM shifts across them): kept as configured.
        step.update(num_clips=s.num_clips if is_3d else step.get('num_clips', 1), test_mode=True)
    else:
        if any(t['type'] in ('ThreeCrop', 'TenCrop') for t in pipeline):
            raise ValueError(f'{cfg.filename}: snippet features need one crop per window; the test_pipeline has '
                             'ThreeCrop/TenCrop (use CenterCrop)')
        pipeline[sampling[0]] = dict(
            type='UntrimmedSampleFrames',
            clip_len=s.window or step.get('clip_len', 1),
            clip_interval=s.stride,
            frame_interval=step.get('frame_interval', 1))
    return pipeline


def build_extractor(cfg, backbone: Optional[str], seed: int = 0) -> torch.nn.Module:
    """A ``FeatureExtractor`` (by registry name) with ``cfg``'s backbone and neck; ``backbone`` loaded strictly,
    or the seeded random init without it."""
    from mmaction.registry import MODELS
    torch.manual_seed(seed)
    model = MODELS.build(
        dict(
            type='FeatureExtractor',
            backbone=cfg.model.backbone,
            neck=cfg.model.get('neck'),
            data_preprocessor=cfg.model.get('data_preprocessor')))
    model.init_weights()
    if backbone:
        load_weights(model, backbone)
    model.eval()
    return model


@torch.no_grad()
def video_features(model, inputs: torch.Tensor, s: ExtractionSettings, window: int = 1) -> np.ndarray:
    """``(1, V, ...)`` preprocessed views of one video -> pooled ``(D,)`` or per-snippet ``(S, D)`` float32.

    ``window``: frames per snippet; 2D inputs ``(1, S·window, C, H, W)`` are split by it.
    """
    if s.mode == 'snippets':
        per_snippet = 1 if inputs.dim() == 6 else window
        inputs = inputs.reshape((-1, per_snippet) + inputs.shape[2:])  # (S, views or frames of one snippet, ...)
        rows = [model.extract(inputs[i:i + s.batch_size]) for i in range(0, len(inputs), s.batch_size)]
        return torch.cat(rows).cpu().numpy().astype(np.float32)
    views = inputs.shape[1]
    total = sum(
        model.extract(inputs[:, i:i + s.batch_size]) * min(s.batch_size, views - i)
        for i in range(0, views, s.batch_size))
    return (total[0] / views).cpu().numpy().astype(np.float32)


def _write(path: Path, feature: np.ndarray, fmt: str) -> None:
    """Write atomically: a file under its final name is always complete (that is what resuming trusts)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f'.{path.name}.{os.getpid()}.tmp')
    with open(tmp, 'wb') as f:
        if fmt == 'npy':
            np.save(f, feature)
        else:
            rows = feature.reshape(-1, feature.shape[-1])
            header = ','.join(f'f{i}' for i in range(rows.shape[1]))
            np.savetxt(f, rows, delimiter=',', header=header, comments='', fmt='%.6g')
    os.replace(tmp, path)


def _check_meta(out: Path, meta: Dict) -> None:
    path = out / 'meta.json'
    if path.is_file():
        old = json.loads(path.read_text())
        if old != meta:
            changed = sorted(k for k in set(old) | set(meta) if old.get(k) != meta.get(k))
            raise ValueError(f'{out} holds features made with other settings ({", ".join(changed)} differ); '
                             'choose another --out or remove it')
    else:
        tmp = path.with_name(f'.meta.json.{os.getpid()}.tmp')
        tmp.write_text(json.dumps(meta, indent=1))
        os.replace(tmp, path)


class _Videos(torch.utils.data.Dataset):
    """``(index, packed sample or None, reason or None)`` per video; reading failures are reasons, not errors."""

    def __init__(self, dataset, indices: List[int]):
        self.dataset, self.indices = dataset, indices

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, i: int):
        from ..datasets.robust_video_dataset import BadVideoError
        idx = self.indices[i]
        try:
            return idx, self.dataset.prepare_data(idx), None
        except BadVideoError as err:
            return idx, None, str(err)


def _feature_path(out: Path, filename: str, root: str, fmt: str) -> Path:
    """``out/<path relative to root>.<fmt>``; a video outside ``root`` keeps its whole path under ``out``."""
    rel = Path(os.path.relpath(filename, root or os.curdir))
    if rel.parts and rel.parts[0] == '..':
        absolute = Path(os.path.abspath(filename))
        rel = absolute.relative_to(absolute.anchor)
    return out / rel.with_suffix('.' + fmt)


def extract_features(config,
                     video_list: str,
                     out: str,
                     backbone: Optional[str] = None,
                     data_root: str = '',
                     settings: ExtractionSettings = ExtractionSettings(),
                     workers: int = 0,
                     seed: int = 0) -> Dict:
    """Extract features for every video of ``video_list`` into ``out`` (this rank's share of the list).

    Already written videos are skipped; bad videos (missing, unreadable, too short -- what
    ``RobustVideoDataset`` skips in training) are named on stderr and in ``skipped.txt``, and left out.
    Call inside an initialised process group to split the list over ranks.

    Raises:
        TooManyBadVideosError: (rank 0, at the end) more than ``MAX_BAD_FRACTION`` of the list was bad.
        ConfigError: none of the videos sampled from the list exists under ``data_root`` (before any work).

    Returns:
        ``{'written', 'reused', 'skipped', 'index'}`` for this rank (``index`` only on rank 0).
    """
    from mmengine.dataset import pseudo_collate
    from mmengine.utils import ProgressBar

    from ..datasets.robust_video_dataset import RobustVideoDataset, TooManyBadVideosError

    settings.validate()
    cfg = load_config(config)
    rank, world = get_dist_info()
    out = Path(out)
    where = {
        k: os.path.abspath(v) if v else v
        for k, v in dict(
            config=getattr(cfg, 'filename', None) or str(config),
            backbone=backbone,
            list=str(video_list),
            data_root=data_root).items()
    }
    meta = dict(where, seed=seed, **asdict(settings))
    meta.pop('batch_size')
    for turn in (0, 1):  # rank 0 first: it writes meta.json, the others then check against it
        if (rank == 0) == (turn == 0):
            out.mkdir(parents=True, exist_ok=True)
            _check_meta(out, meta)
        barrier()
    pipeline = extraction_pipeline(cfg, settings)
    window = next(step.get('clip_len', 1) for step in pipeline if 'SampleFrames' in step['type'])
    dataset = RobustVideoDataset(
        video_list,
        pipeline,
        data_prefix=dict(video=data_root),
        test_mode=True,
        require_label=False,
        max_bad_fraction=1.0)
    paths = [
        _feature_path(out,
                      dataset.get_data_info(i)['filename'], data_root, settings.fmt) for i in range(len(dataset))
    ]
    mine = list(range(rank, len(dataset), world))
    todo = [i for i in mine if not paths[i].is_file()]
    model = build_extractor(cfg, backbone, seed)
    if torch.cuda.is_available():
        model = model.to(f'cuda:{torch.cuda.current_device()}')
    loader = torch.utils.data.DataLoader(_Videos(dataset, todo), batch_size=None, num_workers=workers)
    skipped = []
    bar = ProgressBar(len(todo)) if rank == 0 and todo else None
    for idx, data, reason in loader:
        if data is None:
            where, filename, reason = dataset.describe_bad(idx, reason)
            skipped.append(f'{filename}: {reason} ({where})')
            print(f'\nskipped bad video {skipped[-1]}', flush=True)
        else:
            inputs = model.data_preprocessor(pseudo_collate([data]), False)['inputs']
            _write(paths[idx], video_features(model, inputs, settings, window), settings.fmt)
        if bar:
            bar.update()
    (out / f'skipped.rank{rank}.txt').write_text(''.join(line + '\n' for line in skipped))
    barrier()
    result = dict(written=len(todo) - len(skipped), reused=len(mine) - len(todo), skipped=skipped)
    if rank == 0:
        result['index'] = str(_write_index(out, dataset, paths, world))
        bad = len((out / 'skipped.txt').read_text().splitlines())
        if bad > MAX_BAD_FRACTION * len(dataset):
            raise TooManyBadVideosError(
                f'{bad} of {len(dataset)} videos of {video_list} are bad (more than {MAX_BAD_FRACTION:.0%}; each is '
                f'named in {out / "skipped.txt"}, the features of the others are written): check --data-root '
                f'{data_root!r} and the videos (tools/check_dataset.py {video_list} --data-prefix DIR)')
    return result


def _write_index(out: Path, dataset, paths: List[Path], world: int) -> Path:
    """``features.txt`` (finished videos in list order) and ``skipped.txt`` (all ranks' bad videos)."""
    lines = []
    for i, path in enumerate(paths):
        if path.is_file():
            label = dataset.get_data_info(i).get('label', -1)
            lines.append(f'{path.relative_to(out).as_posix()} {label if label is not None else -1}\n')
    index = out / 'features.txt'
    index.write_text(''.join(lines))
    skipped = []
    for r in range(world):
        part = out / f'skipped.rank{r}.txt'
        if part.is_file():
            skipped.append(part.read_text())
            part.unlink()
    (out / 'skipped.txt').write_text(''.join(skipped))
    return index
