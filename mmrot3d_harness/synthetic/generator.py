"""Writing the synthetic dataset in official layouts: Kinetics-400 style (pretraining) and UCF101 style.

Layout under ``out``::

    kinetics_style/videos/{train,val}/<label>/<youtube_id>_<start:06d>_<end:06d>.mp4
    kinetics_style/{train,validate}.csv            label,youtube_id,time_start,time_end,split
    ucf_style/UCF-101/<ClassName>/v_<ClassName>_gXX_cYY.avi
    ucf_style/ucfTrainTestlist/{classInd,trainlist0k,testlist0k}.txt   (k = 1, 2, 3)
    contact_sheet.png, meta.json
    controls/{actor_free,actor_blob}/videos/val/...  twins of the held-out Kinetics-style clips (on request)

The Kinetics-style (pretraining) clips can carry the shortcuts real video has: letterbox bars on a share of
them (``bars``), a fixed logo on all of them (``logo``); the UCF-style clips never do.

Every clip is rendered from its own random generator seeded by ``(seed, domain, ...)`` so results do not
depend on the number of workers or the order they finish in.
"""
import base64
import hashlib
import json
import os
import shutil
import sys
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np

from ..cores import available_cores
from ..progress import CountProgress
from ..video_io import write_video
from .actions import CLASSES, camel_case
from .render import SceneStyle, render_actor_masks, render_clip, sample_style

GENERATOR_VERSION = 'actors-v2'  # v2: .avi files are XVID (v1: Motion-JPEG)

# Seed-sequence domains: keep the random streams of different uses apart.
_PRETRAIN_TRAIN, _PRETRAIN_VAL, _UCF_GROUP, _UCF_CLIP, _IDS, _SHORTCUTS = 1, 2, 3, 4, 5, 6


@dataclass(frozen=True)
class Params:
    """Everything that determines the output bytes (``workers`` does not)."""
    seed: int = 0
    pretrain_clips: int = 4000
    pretrain_val_clips: int = 400
    clips_per_class: int = 30
    groups: int = 6
    frames: int = 32
    size: int = 64
    fps: float = 25.0
    version: str = GENERATOR_VERSION
    bars: float = 0.0  # share of the Kinetics-style clips with black letterbox bars, top and bottom
    bar_height: float = 0.15  # each bar, as a fraction of the frame's height
    logo: bool = False  # a fixed logo (an asymmetric mark near the top-left corner) on every Kinetics-style clip

    def validate(self) -> None:
        if self.groups < 3:
            raise ValueError('groups must be >= 3: each UCF-style split holds out a third of them')
        if self.clips_per_class < self.groups:
            raise ValueError(f'clips_per_class ({self.clips_per_class}) must be >= groups ({self.groups})')
        if -(-self.clips_per_class // self.groups) > 99 or self.groups > 99:
            raise ValueError('group and clip numbers must fit in two digits (gXX_cYY)')
        if self.frames < 1 or self.pretrain_clips < 0 or self.pretrain_val_clips < 0:
            raise ValueError('frames must be >= 1 and clip counts >= 0')
        if not 0 <= self.bars <= 1 or not 0 < self.bar_height < 0.4:
            raise ValueError(f'bars={self.bars} must be a share in [0, 1] and bar_height={self.bar_height} in (0, 0.4)')

    def identity(self) -> Dict:
        """What a dataset made with these parameters is recorded as (``meta.json``): every field, but the
        shortcuts only where set, so that a dataset made before they existed stays complete."""
        fields = asdict(self)
        for name, default in (('bars', 0.0), ('bar_height', 0.15), ('logo', False)):
            if fields[name] == default:
                fields.pop(name)
        return fields


@dataclass(frozen=True)
class Job:
    """One clip to render and write: where, which class, and the seed words of its generators."""
    path: str
    class_idx: int
    style_key: Tuple[int, ...]  # seeds the appearance (shared within a UCF group)
    clip_key: Tuple[int, ...]  # seeds motion, placement, drift, distractors


# ---------------------------------------------------------------- naming and splits


def youtube_id(seed: int, split: str, index: int) -> str:
    """A deterministic 11-character id from ``[A-Za-z0-9_-]``, like a YouTube video id."""
    digest = hashlib.blake2b(f'{seed}/{split}/{index}'.encode(), digest_size=9).digest()
    return base64.urlsafe_b64encode(digest).decode('ascii')[:11]


def kinetics_clips(params: Params, split: str) -> List[Dict]:
    """Rows of the Kinetics-style CSV for ``split`` in {'train', 'val'}, classes balanced (``index % C``)."""
    count = params.pretrain_clips if split == 'train' else params.pretrain_val_clips
    domain = _PRETRAIN_TRAIN if split == 'train' else _PRETRAIN_VAL
    rows = []
    for index in range(count):
        # Clip start inside the imaginary source video; only used for names, like Kinetics.
        start = int(np.random.default_rng([params.seed, _IDS, domain, index]).integers(0, 290))
        rows.append(
            dict(
                label=CLASSES[index % len(CLASSES)],
                youtube_id=youtube_id(params.seed, split, index),
                time_start=start,
                time_end=start + 10,
                split=split,
                index=index,
                domain=domain))
    return rows


def kinetics_relpath(row: Dict) -> str:
    return (f"kinetics_style/videos/{row['split']}/{row['label']}/"
            f"{row['youtube_id']}_{row['time_start']:06d}_{row['time_end']:06d}.mp4")


def ucf_clips(params: Params) -> List[Tuple[int, int, int, str]]:
    """``(class_idx, group, clip, 'ClassName/v_ClassName_gXX_cYY.avi')`` in UCF order; group/clip 1-based.

    Clip ``i`` of a class goes to group ``i % groups + 1`` so groups differ in size by at most one.
    """
    out = []
    for c, name in enumerate(CLASSES):
        cls = camel_case(name)
        per_group = [[] for _ in range(params.groups)]
        for i in range(params.clips_per_class):
            per_group[i % params.groups].append(i)
        for g, members in enumerate(per_group, start=1):
            for j, _ in enumerate(members, start=1):
                out.append((c, g, j, f'{cls}/v_{cls}_g{g:02d}_c{j:02d}.avi'))
    return out


def held_out_groups(split: int, groups: int) -> List[int]:
    """1-based groups held out for testing in UCF-style split ``split`` (1..3): the split-th third."""
    return [g for g in range(1, groups + 1) if (g - 1) * 3 // groups == split - 1]


def make_jobs(params: Params) -> List[Job]:
    """All clips of both layouts, as paths relative to ``out``."""
    jobs = []
    for split in ('train', 'val'):
        for row in kinetics_clips(params, split):
            key = (params.seed, row['domain'], row['index'])
            jobs.append(Job(kinetics_relpath(row), CLASSES.index(row['label']), key, key))
    for c, g, j, rel in ucf_clips(params):
        jobs.append(
            Job(f'ucf_style/UCF-101/{rel}', c, (params.seed, _UCF_GROUP, c, g), (params.seed, _UCF_CLIP, c, g, j)))
    return jobs


# ---------------------------------------------------------------- rendering


def style_for(job: Job) -> SceneStyle:
    return sample_style(np.random.default_rng(list(job.style_key)))


def has_bars(job: Job, params: Params) -> bool:
    """Whether a Kinetics-style clip carries letterbox bars (a share ``params.bars`` of them, drawn per clip)."""
    if not params.bars or not job.path.startswith('kinetics_style/'):
        return False
    return bool(np.random.default_rng([*job.clip_key, _SHORTCUTS]).random() < params.bars)


def add_shortcuts(frames: np.ndarray, job: Job, params: Params) -> np.ndarray:
    """``frames`` ``(T, S, S, 3)`` with the shortcuts ``params`` asks for on this clip: black bars over the top and
    bottom rows, a logo (a white "L" on a black square) near the top-left corner."""
    if not job.path.startswith('kinetics_style/'):
        return frames
    size = frames.shape[1]
    if has_bars(job, params):
        bar = int(round(params.bar_height * size))
        frames[:, :bar] = 0
        frames[:, size - bar:] = 0
    if params.logo:
        cell = max(2, size // 32)  # 2 px at 64 px
        y, x = 4 * cell, 4 * cell
        frames[:, y:y + 4 * cell, x:x + 4 * cell] = 0
        frames[:, y + cell // 2:y + 4 * cell - cell // 2, x + cell // 2:x + cell + cell // 2] = 255  # the L's stem
        frames[:, y + 3 * cell - cell // 2:y + 4 * cell - cell // 2, x + cell // 2:x + 4 * cell - cell // 2] = 255
    return frames


def render_job(job: Job, params: Params) -> Tuple[np.ndarray, np.ndarray]:
    """Frames ``(T, S, S, 3)`` uint8 and joints ``(T, J, 2)`` of one job; a pure function of its keys."""
    frames, joints = render_clip(job.class_idx, style_for(job), np.random.default_rng(list(job.clip_key)),
                                 params.frames, params.size, params.fps)
    return add_shortcuts(frames, job, params), joints


def render_job_masks(job: Job, params: Params) -> np.ndarray:
    """The actor's pixels ``(T, S, S)`` bool in every frame of :func:`render_job`'s clip (same keys, same motion)."""
    return render_actor_masks(job.class_idx, style_for(job), np.random.default_rng(list(job.clip_key)), params.frames,
                              params.size, params.fps)


def _work(args: Tuple[Job, Params, str]) -> str:
    job, params, out = args
    path = Path(out) / job.path
    frames, _ = render_job(job, params)
    # Write under a temporary name and rename, so an interrupted run never leaves a truncated video.
    tmp = path.with_name(path.stem + '.partial' + path.suffix)
    write_video(tmp, frames, params.fps)
    os.replace(tmp, path)
    return job.path


def _init_worker() -> None:
    cv2.setNumThreads(1)  # the pool provides the parallelism


def _pool(workers: int, **kwargs):
    """A pool of ``workers`` processes forked from a fresh server process, never from this one: a child forked
    from a process whose OpenCV or OpenMP thread pool ran hangs in its first call to it (in a test process, or
    after a contact sheet)."""
    return get_context('forkserver').Pool(workers, **kwargs)


def _run_jobs(label: str, jobs: List[Job], params: Params, out: Path, workers: int, work=_work) -> None:
    """``work((job, params, out))`` for every job, in ``workers`` processes, with progress lines."""
    progress = CountProgress(f'generate {label}', len(jobs), 'clips')
    args = [(job, params, str(out)) for job in jobs]
    if workers <= 1:
        for i, a in enumerate(args, 1):
            work(a)
            progress.update(i)
    else:
        with _pool(workers, initializer=_init_worker) as pool:
            for i, _ in enumerate(pool.imap_unordered(work, args, chunksize=4), 1):
                progress.update(i)


# ---------------------------------------------------------------- index files


def write_kinetics_csvs(params: Params, out: Path) -> None:
    header = 'label,youtube_id,time_start,time_end,split\n'
    for split, name in (('train', 'train.csv'), ('val', 'validate.csv')):
        rows = sorted(kinetics_clips(params, split), key=lambda r: (r['label'], r['youtube_id']))
        lines = [f"{r['label']},{r['youtube_id']},{r['time_start']},{r['time_end']},{r['split']}" for r in rows]
        path = out / 'kinetics_style' / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(header + ''.join(line + '\n' for line in lines))


def write_ucf_lists(params: Params, out: Path) -> None:
    """``classInd.txt`` (1-based) and the three group-disjoint train/test splits."""
    root = out / 'ucf_style' / 'ucfTrainTestlist'
    root.mkdir(parents=True, exist_ok=True)
    (root / 'classInd.txt').write_text(''.join(f'{i} {camel_case(c)}\n' for i, c in enumerate(CLASSES, 1)))
    clips = ucf_clips(params)
    for split in (1, 2, 3):
        held_out = set(held_out_groups(split, params.groups))
        train = [f'{rel} {c + 1}\n' for c, g, _, rel in clips if g not in held_out]
        test = [f'{rel}\n' for c, g, _, rel in clips if g in held_out]
        (root / f'trainlist0{split}.txt').write_text(''.join(train))
        (root / f'testlist0{split}.txt').write_text(''.join(test))


def write_contact_sheet(params: Params, out: Path, examples: int = 2, columns: int = 8) -> Path:
    """``contact_sheet.png``: per class ``examples`` rows of ``columns`` frames over time, labelled.

    Uses the first clip of UCF-style groups 1..examples, rendered again (rendering is deterministic).
    """
    scale = max(1, 96 // params.size)
    tile = params.size * scale
    label_w = 130
    picks = [job for job in make_jobs(params) if job.path.startswith('ucf_style/') and job.path.endswith('_c01.avi')]
    rows = []
    for c, name in enumerate(CLASSES):
        for job in [j for j in picks if j.class_idx == c][:examples]:
            frames, _ = render_job(job, params)
            idx = np.linspace(0, len(frames) - 1, min(columns, len(frames))).round().astype(int)
            strip = np.concatenate([cv2.resize(frames[i], (tile, tile), interpolation=cv2.INTER_NEAREST) for i in idx],
                                   axis=1)
            label = np.full((tile, label_w, 3), 255, np.uint8)
            cv2.putText(label, name, (4, tile // 2 + 5), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
            rows.append(np.concatenate([label, strip], axis=1))
    sheet = np.concatenate(rows, axis=0)
    path = out / 'contact_sheet.png'
    cv2.imwrite(str(path), cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR))
    return path


# ---------------------------------------------------------------- entry point


def _meta(params: Params, complete: bool) -> Dict:
    return dict(
        generator_version=params.version,
        params=params.identity(),
        complete=complete,
        classes=list(CLASSES),
        ucf_class_names=[camel_case(c) for c in CLASSES],
        counts=dict(
            pretrain_train=params.pretrain_clips,
            pretrain_val=params.pretrain_val_clips,
            ucf=params.clips_per_class * len(CLASSES)))


def read_meta(out: Path) -> Optional[Dict]:
    try:
        return json.loads((out / 'meta.json').read_text())
    except (OSError, ValueError):
        return None


def is_complete(params: Params, out: Path) -> bool:
    """True when ``out`` holds a finished dataset made with exactly ``params`` (all files present)."""
    meta = read_meta(Path(out))
    if not meta or not meta.get('complete') or meta.get('params') != params.identity():
        return False
    names = [job.path for job in make_jobs(params)] + [
        'kinetics_style/train.csv', 'kinetics_style/validate.csv', 'contact_sheet.png',
        'ucf_style/ucfTrainTestlist/classInd.txt'
    ] + [f'ucf_style/ucfTrainTestlist/{k}list0{s}.txt' for k in ('train', 'test') for s in (1, 2, 3)]
    return all((Path(out) / n).is_file() for n in names)


_OUTPUTS = ('kinetics_style', 'ucf_style', 'contact_sheet.png', 'meta.json', 'controls')


def generate(out, params: Params = Params(), workers: Optional[int] = None, force: bool = False) -> bool:
    """Generate the dataset into ``out`` unless a complete one with the same ``params`` is there.

    A run interrupted with the same parameters resumes (finished videos are kept); different
    parameters remove this generator's previous outputs first.

    Returns:
        True if anything was generated, False if the existing output was reused.
    """
    params.validate()
    out = Path(out)
    if not force and is_complete(params, out):
        print(f'[generate] {out}: complete for these parameters, nothing to do', file=sys.stderr)
        return False
    meta = read_meta(out)
    if meta is not None and (force or meta.get('params') != params.identity()):
        for name in _OUTPUTS:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    elif meta is None and any((out / name).exists() for name in _OUTPUTS[:2]):
        raise FileExistsError(f'{out} holds kinetics_style/ or ucf_style/ without meta.json; '
                              'remove them or choose another --out')
    out.mkdir(parents=True, exist_ok=True)
    (out / 'meta.json').write_text(json.dumps(_meta(params, complete=False), indent=2))
    workers = workers or available_cores()
    jobs = make_jobs(params)
    for label, prefix in (('pretrain', 'kinetics_style/'), ('ucf', 'ucf_style/')):
        todo = [j for j in jobs if j.path.startswith(prefix) and not (out / j.path).is_file()]
        _run_jobs(label, todo, params, out, workers)
    write_kinetics_csvs(params, out)
    write_ucf_lists(params, out)
    # In a child: OpenCV used in this process would leave its thread pool here, and a later fork of this process
    # (a DataLoader's workers) would hang in the children's first cv2 call.
    with _pool(1) as pool:
        pool.apply(write_contact_sheet, (params, out))
    (out / 'meta.json').write_text(json.dumps(_meta(params, complete=True), indent=2))
    return True


# ---------------------------------------------------------------- shortcut controls

ACTOR_FREE_DIR = 'controls/actor_free/videos'
ACTOR_BLOB_DIR = 'controls/actor_blob/videos'


def actor_blob_frames(frames: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """``frames`` (the clip without its actor) with, in each frame, a grey disc where the actor is: at the centroid
    of its pixels, of their area. The actor's position kept, its shape and pose gone."""
    out = frames.copy()
    for frame, mask in zip(out, masks):
        if mask.any():
            ys, xs = np.nonzero(mask)
            radius = max(1, int(round(np.sqrt(mask.sum() / np.pi))))
            cv2.circle(frame, (int(round(xs.mean())), int(round(ys.mean()))), radius, (128, 128, 128), -1)
    return out


def _work_control(args: Tuple[Job, Params, str, str]) -> str:
    job, params, out, folder = args
    rel = job.path[len('kinetics_style/videos/'):]
    path = Path(out) / folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    frames, _ = render_clip(
        job.class_idx,
        style_for(job),
        np.random.default_rng(list(job.clip_key)),
        params.frames,
        params.size,
        params.fps,
        draw_actor=False)
    if folder == ACTOR_BLOB_DIR:
        frames = actor_blob_frames(frames, render_job_masks(job, params))
    frames = add_shortcuts(frames, job, params)
    tmp = path.with_name(path.stem + '.partial' + path.suffix)
    write_video(tmp, frames, params.fps)
    os.replace(tmp, path)
    return str(path)


def _work_actor_free(args: Tuple[Job, Params, str]) -> str:
    return _work_control((*args, ACTOR_FREE_DIR))


def _work_actor_blob(args: Tuple[Job, Params, str]) -> str:
    return _work_control((*args, ACTOR_BLOB_DIR))


def _generate_twins(out, params: Params, workers: Optional[int], folder: str, label: str, work) -> Path:
    out = Path(out)
    root = out / folder
    jobs = [j for j in make_jobs(params) if j.path.startswith('kinetics_style/videos/val/')]
    todo = [j for j in jobs if not (root / j.path[len('kinetics_style/videos/'):]).is_file()]
    if todo:
        _run_jobs(label, todo, params, out, workers or available_cores(), work=work)
    return root


def generate_actor_free(out, params: Params = Params(), workers: Optional[int] = None) -> Path:
    """Actor-free twins of the Kinetics-style validation clips: the same background, drift, distractors and
    shortcuts, no actor, under ``<out>/controls/actor_free/videos/val/...`` with the same relative paths, so
    ``kinetics400_val_list_videos.txt`` lists them too. A rotation model must score chance (25%) on them; more
    means something other than the actor gives "up" away.

    Returns:
        the video root of the controls (the ``data_prefix`` for the validation list).
    """
    return _generate_twins(out, params, workers, ACTOR_FREE_DIR, 'actor-free controls', _work_actor_free)


def generate_actor_blob(out, params: Params = Params(), workers: Optional[int] = None) -> Path:
    """Position-only twins of the Kinetics-style validation clips: the actor-free twin with a grey disc where
    the actor is in each frame (:func:`actor_blob_frames`), under ``<out>/controls/actor_blob/videos/val/...``:
    what a rotation model can tell from the actor's position alone.

    Returns:
        the video root of the controls (the ``data_prefix`` for the validation list).
    """
    return _generate_twins(out, params, workers, ACTOR_BLOB_DIR, 'actor-blob controls', _work_actor_blob)


# ---------------------------------------------------------------- actor masks of written clips


class ActorMasks:
    """Per-frame actor masks of the clips in a generated dataset, rendered again on demand.

    No mask files are written: a clip's mask is a pure function of its job (the same seeds replay the
    same motion), so the data folder stays as it is and the masks cost a fraction of the rendering.

    Args:
        root: the generator's ``--out`` folder (holds ``meta.json``).

    Example::

        masks = ActorMasks('data/synthetic')
        masks('data/synthetic/ucf_style/UCF-101/Walk/v_Walk_g01_c01.avi')   # (T, S, S) bool
    """

    def __init__(self, root) -> None:
        self.root = Path(root).resolve()
        meta = read_meta(self.root)
        if not meta or 'params' not in meta:
            raise FileNotFoundError(f'{self.root}/meta.json: not a dataset of the synthetic generator '
                                    '(make one with tools/data/synthetic/generate.py --out DIR)')
        if meta.get('generator_version') != GENERATOR_VERSION:
            raise ValueError(f'{self.root}: made by generator {meta.get("generator_version")!r}, these masks '
                             f'replay {GENERATOR_VERSION!r}; regenerate the dataset')
        self.params = Params(**meta['params'])
        self.jobs = {job.path: job for job in make_jobs(self.params)}

    @classmethod
    def of_video(cls, video) -> 'ActorMasks':
        """The masks of the generated dataset that holds ``video`` (the nearest folder above it with the
        generator's ``meta.json``)."""
        for folder in Path(video).resolve().parents:
            if (folder / 'meta.json').is_file() and read_meta(folder) and 'params' in read_meta(folder):
                return cls(folder)
        raise FileNotFoundError(f'{video}: no synthetic dataset (a folder with the generator\'s meta.json) holds '
                                'this video; actor masks are known only for tools/data/synthetic/generate.py clips')

    def job(self, video) -> Job:
        """The job that wrote ``video`` (a path inside ``root``, absolute or relative to the working directory)."""
        path = Path(video).resolve()
        try:
            rel = path.relative_to(self.root).as_posix()
        except ValueError:
            raise ValueError(f'{video}: not inside the synthetic dataset {self.root}') from None
        if rel.startswith(('controls/', )):
            raise ValueError(f'{video}: a control clip (actor-free or actor-blob) has no actor')
        if rel not in self.jobs:
            raise ValueError(f'{video}: not a clip of the synthetic dataset {self.root}')
        return self.jobs[rel]

    def __call__(self, video) -> np.ndarray:
        """``(T, S, S)`` bool: the actor's pixels in every frame of ``video``."""
        return render_job_masks(self.job(video), self.params)
