"""The one feature-extraction engine: a frozen backbone's features of every video of a list. It serves
``tools/extract_features.py`` (a file per video, resumable), ``tools/eval_frozen.py`` and with it the benchmark's
frozen evaluation (features in memory, then retrieval and a linear probe).

:func:`encode_videos` decodes the videos (in ``workers`` loader processes), takes this rank's share of them in a
process group, and yields each video's features, or the reason it could not be read: each tool decides what a
bad video means (the extraction names and skips it, the frozen evaluation stops at it).

Output folder of :func:`extract_features`::

    <out>/<video path without extension>.npy   pooled: (D,) float32; snippets: (S, D), one row per window
    <out>/features.txt                          "<feature file> <label>" per finished video, in list order
    <out>/skipped.txt                           "<video>: <reason> (LIST:LINE)" per bad video (named, left out)
    <out>/meta.json                             the settings; a resumed run must use the same ones

With ``fmt='csv'`` the files are ``.csv`` with a header line and one row per snippet, the layout
MMAction2's ``LoadLocalizationFeature`` reads (it transposes them to ``(D, S)``). A video whose file is
there is finished: runs resume by skipping them.
"""
import copy
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import numpy as np
import torch
from mmengine.dist import all_gather_object, barrier, get_dist_info

from ..structures.video_input import config_input
from .inference import load_config, load_weights

MODES = ('pooled', 'snippets')
# Bad videos are named and left out; more than this share of the list bad is an error (the features of
# the good ones are kept): the data or --data-root is wrong, not a few files.
MAX_BAD_FRACTION = 0.5


@dataclass
class ExtractionSettings:
    """``pooled``: ``num_clips`` clips spread over the video, features averaged (2D configs: their own test
    segments, averaged). ``snippets``: windows of ``window`` frames (default: the config's ``clip_len``) centred
    every ``stride`` frames (MMAction2's ``UntrimmedSampleFrames``), one feature row each. ``batch_size``: clips
    per forward pass."""
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


def build_extractor(cfg, checkpoint: Optional[str] = None, seed: int = 0, prefix: str = 'backbone.'):
    """A ``FeatureExtractor`` (by registry name) with ``cfg``'s backbone and neck in eval mode: the seeded random
    init (the control every pretrained backbone must beat), then ``checkpoint`` loaded strictly (a backbone
    export or any plain tensor file, its backbone's tensors under ``prefix``; or the whole model's state).

    Where the config's runs store the backbone ``channels_last_3d`` (its ``ChannelsLast3dHook``), so does the
    extractor, before its random init as those runs do: the same seed then draws the same weights."""
    from mmaction.registry import MODELS
    from mmengine.runner import set_random_seed

    from ..engine.hooks.channels_last_hook import to_channels_last_3d
    set_random_seed(seed)
    model = MODELS.build(
        dict(
            type='FeatureExtractor',
            backbone=cfg.model.backbone,
            neck=cfg.model.get('neck'),
            data_preprocessor=cfg.model.get('data_preprocessor')))
    if torch.cuda.is_available():
        model = model.to(f'cuda:{torch.cuda.current_device()}')
    device = next(model.backbone.parameters()).device.type
    for hook in cfg.get('custom_hooks') or []:
        if hook.get('type') == 'ChannelsLast3dHook' and device in (hook.get('devices') or (device, )):
            to_channels_last_3d(model.backbone)
    model.init_weights()
    if checkpoint:
        load_weights(model, checkpoint, prefix, input_kind=config_input(cfg))
    return model.eval()


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


@torch.no_grad()
def _features(model, samples: List, mode: str, clips_per_forward: Optional[int], window: int) -> List[np.ndarray]:
    """Packed samples of one batch -> their features: pooled ``(D,)``, or per snippet ``(S, D)``."""
    from mmengine.dataset import pseudo_collate
    inputs = model.data_preprocessor(pseudo_collate(samples), False)['inputs']  # (N, V, ...)
    if mode == 'pooled':
        return [f.astype(np.float32) for f in model.extract(inputs, clips_per_forward).cpu().numpy()]
    rows = []
    for video in inputs:  # 3D: (S, C, T, H, W); 2D: (S * window, C, H, W), split by the window
        per_snippet = 1 if video.dim() == 5 else window
        step = clips_per_forward and clips_per_forward * per_snippet
        rows.append(model.extract(video.reshape((-1, per_snippet) + video.shape[1:]), step).cpu().numpy())
    return [r.astype(np.float32) for r in rows]


def encode_videos(model,
                  dataset,
                  indices: List[int],
                  batch_size: int = 1,
                  workers: int = 0,
                  mode: str = 'pooled',
                  clips_per_forward: Optional[int] = None,
                  window: int = 1) -> Iterator[Tuple[int, Optional[np.ndarray], Optional[str]]]:
    """Yield ``(index, features, None)`` for each video of ``indices`` that reads, ``(index, None, reason)`` for
    each that does not, as they finish.

    Args:
        model: a ``FeatureExtractor`` (:func:`build_extractor`).
        dataset: a ``RobustVideoDataset`` whose pipeline samples the views (pooled) or snippets of a video.
        batch_size: videos per batch through the data preprocessor and the backbone (pooled mode; snippets
            take one video at a time).
        workers: loader processes decoding the videos.
        clips_per_forward: at most this many clips (snippets) through the backbone at once (default: a batch).
        window: frames per snippet of a 2D model's snippets (its inputs hold every frame of every snippet).
    """
    loader = torch.utils.data.DataLoader(_Videos(dataset, indices), batch_size=None, num_workers=workers)
    batch_size = batch_size if mode == 'pooled' else 1
    pending: List[Tuple[int, Dict]] = []
    for position, (idx, data, reason) in enumerate(loader, 1):
        if data is None:
            yield idx, None, reason
        else:
            pending.append((idx, data))
        if pending and (len(pending) == batch_size or position == len(indices)):
            features = _features(model, [d for _, d in pending], mode, clips_per_forward, window)
            for (i, _), feature in zip(pending, features):
                yield i, feature, None
            pending = []


def my_share(count: int) -> List[int]:
    """The indices ``rank, rank + world, ...`` of ``count`` items this rank of the process group (if any) takes."""
    rank, world = get_dist_info()
    return list(range(rank, count, world))


def frozen_features(cfg,
                    video_list: str,
                    data_root: str,
                    num_clips: Optional[int] = None,
                    checkpoint: Optional[str] = None,
                    prefix: str = 'backbone.',
                    seed: int = 0,
                    progress=None) -> List[Dict]:
    """Every video's ``feature`` (pooled, averaged over the test pipeline's clips: ``num_clips`` of them, default
    as configured), ``label`` and ``filename``, on every rank of a process group (each encodes its share;
    ``progress(done, total)`` is told after each video, counted for all ranks).

    Every video counts in retrieval and the probe: the first one that cannot be read stops, named
    (``TooManyBadVideosError``); a short one is looped by SampleFrames, as in testing. Videos go through the
    backbone in the test loader's batches.
    """
    from mmaction.registry import DATASETS

    from ..datasets.robust_video_dataset import TooManyBadVideosError
    cfg = load_config(cfg)
    loader = cfg.get('test_dataloader') or {}
    pipeline = copy.deepcopy([dict(t) for t in (cfg.get('test_pipeline') or loader['dataset']['pipeline'])])
    for step in pipeline:
        if step['type'] == 'SampleFrames' and num_clips:
            step['num_clips'] = num_clips
    dataset = DATASETS.build(
        dict(
            type='RobustVideoDataset',
            ann_file=video_list,
            data_prefix=dict(video=data_root),
            test_mode=True,
            max_bad_fraction=0.0,
            min_frames=1,
            pipeline=pipeline))
    model = build_extractor(cfg, checkpoint, seed, prefix)
    found, error, world = {}, None, get_dist_info()[1]
    videos = encode_videos(model, dataset, my_share(len(dataset)), loader.get('batch_size', 4),
                           loader.get('num_workers', 0))
    for done, (idx, feature, reason) in enumerate(videos, 1):
        if feature is None:
            error = ': '.join(dataset.describe_bad(idx, reason))
            break
        found[idx] = feature
        if progress:
            progress(min(done * world, len(dataset)), len(dataset))
    if world > 1:  # every rank learns of a bad video on any of them, and stops with it
        parts = all_gather_object((found, error))
        found = {i: f for part, _ in parts for i, f in part.items()}
        error = next((e for _, e in parts if e), None)
    if error:
        raise TooManyBadVideosError(f'{error}; this list allows no bad video (a test set must not change); find '
                                    f'them all with tools/check_dataset.py {video_list}')
    return [
        dict(feature=found[i], label=dataset.get_data_info(i)['label'], filename=dataset.get_data_info(i)['filename'])
        for i in sorted(found)
    ]


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
                     seed: int = 0,
                     progress=None) -> Dict:
    """Extract features for every video of ``video_list`` into ``out`` (this rank's share of the list).

    Already written videos are skipped; bad videos (missing, unreadable, too short -- what
    ``RobustVideoDataset`` skips in training) are named on stderr and in ``skipped.txt``, and left out.
    Call inside an initialised process group to split the list over ranks. ``progress(done, total)`` is called
    after each video of this rank.

    Raises:
        TooManyBadVideosError: (rank 0, at the end) more than ``MAX_BAD_FRACTION`` of the list was bad.
        ConfigError: none of the videos sampled from the list exists under ``data_root`` (before any work).

    Returns:
        ``{'written', 'reused', 'skipped', 'index'}`` for this rank (``index`` only on rank 0).
    """
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
    mine = my_share(len(dataset))
    todo = [i for i in mine if not paths[i].is_file()]
    model = build_extractor(cfg, backbone, seed)
    skipped = []
    videos = encode_videos(model, dataset, todo, 1, workers, settings.mode, settings.batch_size, window)
    for done, (idx, feature, reason) in enumerate(videos, 1):
        if feature is None:
            where, filename, reason = dataset.describe_bad(idx, reason)
            skipped.append(f'{filename}: {reason} ({where})')
            print(f'skipped bad video {skipped[-1]}', flush=True)
        else:
            _write(paths[idx], feature, settings.fmt)
        if progress:
            progress(done, len(todo))
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
