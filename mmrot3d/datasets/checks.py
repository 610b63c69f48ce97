"""Checks of video lists, video files and pipelines, shared by RobustVideoDataset and tools/check_dataset.py.

Everything here answers "what is wrong, and where" in one line, because the user who reads it is
looking at a multi-day run that did not start (or a preflight report of 300k files), not at a traceback.
"""
import os
import os.path as osp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, List, Optional, Sequence, Tuple

# The first bytes of the containers decord/FFmpeg read. A file that fails to decode *and* starts like
# none of these is "not a video"; one that starts like a container is "truncated or corrupt".
_SIGNATURES = ((4, (b'ftyp', b'moov', b'mdat', b'free', b'wide', b'skip', b'pnot')),  # MP4 / MOV / 3GP
               (0, (b'RIFF', )),  # AVI
               (0, (b'\x1a\x45\xdf\xa3', )),  # Matroska / WebM
               (0, (b'\x00\x00\x01\xba', b'\x00\x00\x01\xb3')),  # MPEG-PS / MPEG-1/2 video
               (0, (b'FLV', b'OggS', b'\x30\x26\xb2\x75')))  # FLV, Ogg, ASF/WMV


class ConfigError(ValueError):
    """A config inconsistency found before training starts; the message names the config field."""


@dataclass
class Entry:
    """One line of an annotation list."""
    lineno: int
    line: str
    filename: str = ''
    label: object = None
    error: Optional[str] = None  # why the line itself is malformed


def parse_annotation_line(line: str, delimiter: str = ' ', multi_class: bool = False,
                          num_classes: Optional[int] = None, require_label: bool = True) -> Tuple[str, object]:
    """Parse ``path label`` (MMAction2's video list format) the way ``VideoDataset`` does, but strictly.

    Raises:
        ValueError: one line saying what is wrong with the line.
    """
    fields = line.strip().split(delimiter)
    if len(fields) == 1 and fields[0]:
        for other in ('\t', ',', ';', ' '):
            if other != delimiter and other in fields[0]:
                raise ValueError(f'wrong separator: found {other!r}, expected {delimiter!r}')
        if require_label:
            raise ValueError('missing label')
        return fields[0], -1
    filename, labels = fields[0], fields[1:]
    if not filename or any(not x for x in labels):
        raise ValueError(f'empty field (two separators in a row?); expected "path{delimiter}label"')
    if not multi_class and len(labels) != 1:
        raise ValueError(f'{len(labels)} labels on a single-label line (a path with {delimiter!r} in it?)')
    try:
        values = [int(x) for x in labels]
    except ValueError:
        raise ValueError(f'label {" ".join(labels)!r} is not an integer') from None
    for value in values:
        if value < 0 or (num_classes is not None and value >= num_classes):
            bound = f' [0, {num_classes})' if num_classes is not None else ' (negative)'
            raise ValueError(f'label {value} out of range{bound}')
    return filename, values if multi_class else values[0]


def read_annotation_list(ann_file: str, delimiter: str = ' ', multi_class: bool = False,
                         num_classes: Optional[int] = None, require_label: bool = True) -> List[Entry]:
    """Every non-blank line of ``ann_file``, parsed; malformed ones carry ``error``."""
    entries = []
    with open(ann_file) as f:
        for lineno, line in enumerate(f, start=1):
            line = line.rstrip('\n').rstrip('\r')
            if not line.strip():
                continue
            entry = Entry(lineno, line)
            try:
                entry.filename, entry.label = parse_annotation_line(line, delimiter, multi_class, num_classes,
                                                                    require_label)
            except ValueError as err:
                entry.error = str(err)
            entries.append(entry)
    return entries


def looks_like_a_video_container(head: bytes) -> bool:
    return any(head[offset:offset + len(sig)] == sig for offset, sigs in _SIGNATURES for sig in sigs)


def check_video(path: str, min_frames: int = 1, decode: bool = True) -> Optional[str]:
    """Why ``path`` cannot give a clip of ``min_frames`` frames, or ``None`` if it can.

    Args:
        min_frames: the sampled window (``clip_len * frame_interval``, as MMAction2's SampleFrames counts it).
        decode: also decode the first, middle and last frame (finds files cut after their index).
    """
    if not osp.lexists(path):
        return 'missing'
    if not osp.exists(path):
        return 'broken symlink'
    if osp.isdir(path):
        return 'a directory, not a file'
    try:
        size = osp.getsize(path)
        with open(path, 'rb') as f:
            head = f.read(16)
    except PermissionError:
        return 'unreadable (permission denied)'
    except OSError as err:
        return f'unreadable ({err.strerror or err})'
    if size == 0:
        return 'zero-byte file'
    import decord  # imported here: the dataset module must import without it for other readers
    try:
        reader = decord.VideoReader(path, num_threads=1)
        frames = len(reader)
        if frames < min_frames:
            return f'too short: {frames} frames < sampled window of {min_frames}'
        if decode:
            reader.get_batch(sorted({0, frames // 2, frames - 1})).asnumpy()
    except Exception as err:  # decord raises its own DECORDError (and RuntimeError) for every decode failure
        first = str(err).strip().splitlines()[0][:120] if str(err).strip() else type(err).__name__
        kind = 'truncated or corrupt video' if looks_like_a_video_container(head) else 'not a video'
        return f'{kind} ({first})'
    return None


def _check_entry(args) -> Tuple[int, Optional[str]]:
    index, path, min_frames = args
    try:
        return index, check_video(path, min_frames)
    except Exception as err:  # a preflight must report, never crash on the file it checks
        return index, f'check failed ({type(err).__name__}: {err})'


def scan_entries(entries: Sequence[Entry], data_prefix: str = '', min_frames: int = 1, workers: int = 1,
                 progress: Optional[Callable[[int, int], None]] = None) -> Iterator[Tuple[Entry, Optional[str]]]:
    """Yield ``(entry, reason)`` for every entry (``reason`` None when good), checking files in parallel."""
    jobs = []
    for index, entry in enumerate(entries):
        if entry.error is None:
            jobs.append((index, osp.join(data_prefix, entry.filename), min_frames))
    reasons = {i: e.error for i, e in enumerate(entries) if e.error is not None}
    done = len(reasons)
    if progress:
        progress(done, len(entries))
    if workers > 1 and len(jobs) > 1:
        # fork is cheap and every job is independent; chunks keep the IPC small for 100k-line lists
        with ProcessPoolExecutor(workers) as pool:
            results: Iterable = pool.map(_check_entry, jobs, chunksize=max(1, min(64, len(jobs) // (workers * 8))))
            for index, reason in results:
                reasons[index] = reason
                done += 1
                if progress:
                    progress(done, len(entries))
    else:
        for job in jobs:
            index, reason = _check_entry(job)
            reasons[index] = reason
            done += 1
            if progress:
                progress(done, len(entries))
    for index, entry in enumerate(entries):
        yield entry, reasons[index]


# ----------------------------------------------------------------------------------------------
# Static pipeline checks: what size do the frames have when they reach a given transform?

def _pair(value) -> Optional[Tuple[int, int]]:
    """``(w, h)`` of an MMAction2 size argument (int = square), or None if not a fixed size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value, value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, int) and v > 0 for v in value):
        return (int(value[0]), int(value[1]))
    return None


def frame_size_after(pipeline: Sequence, stop: Callable[[dict], bool]) -> Tuple[Optional[Tuple[int, int]], str]:
    """Walk a pipeline config up to the first step where ``stop(step)`` is true.

    Returns:
        ``((w, h), step)`` if the steps before fix the frame size, else ``(None, step)`` where ``step``
        describes the last step that set the size (for the error message).
    """
    size, source = None, 'the decoded video (any size)'
    for step in pipeline:
        if not isinstance(step, dict):
            continue
        if stop(step):
            break
        kind = step.get('type')
        kind = kind if isinstance(kind, str) else getattr(kind, '__name__', str(kind))
        if kind in ('CenterCrop', 'ThreeCrop', 'TenCrop'):
            size, source = _pair(step.get('crop_size')), f'{kind}(crop_size={step.get("crop_size")!r})'
        elif kind == 'RandomCrop':
            size, source = _pair(step.get('size')), f'RandomCrop(size={step.get("size")!r})'
        elif kind == 'Resize':
            scale = step.get('scale')
            fixed = _pair(scale) if step.get('keep_ratio', True) is False else None
            size, source = fixed, f'Resize(scale={scale!r}, keep_ratio={step.get("keep_ratio", True)})'
        elif kind in ('RandomResizedCrop', 'MultiScaleCrop', 'RandomRescale', 'PytorchVideoWrapper',
                      'TorchVisionWrapper', 'ImgAug'):
            # random scales/aspect ratios: only a following fixed Resize or crop gives a known size
            size, source = None, f'{kind}(...) (random size)'
    return size, source


def check_rotation_crop(pipeline: Sequence, field: str, turns: Optional[Sequence[int]] = None) -> Optional[str]:
    """Check that frames are square where they get rotated by 90/270 degrees.

    Args:
        pipeline: a pipeline config (list of dicts).
        field: the config field, for the message (e.g. ``'train_dataloader.dataset.pipeline'``).
        turns: quarter turns applied by the model (``rotate_in_model``); None = use the pipeline's
            VideoRotation (checked where it stands).

    Returns:
        A warning when the size cannot be known statically (it is checked again on the first clip).

    Raises:
        ConfigError: the frames are certainly not square.
    """
    from .transforms.functional import angles_to_turns

    def is_rotation(step):
        return step.get('type') in ('VideoRotation', 'mmaction.VideoRotation')

    if turns is None:
        rotation = next((s for s in pipeline if isinstance(s, dict) and is_rotation(s)), None)
        if rotation is None:
            return None
        angles = tuple(rotation.get('angles', (0, 90, 180, 270)))
        turns = angles_to_turns(angles)
        where, stop = f'{field} VideoRotation(angles={angles})', is_rotation
    else:
        where, stop = 'the model (rotate_in_model=True)', (lambda step: False)
    if not any(k % 2 for k in turns):
        return None
    size, source = frame_size_after(pipeline, stop)
    if size is None:
        return (f'{field}: cannot tell statically that frames are square where {where} rotates them by 90/270 '
                f'degrees (last size set by {source}); checked again on the first clip')
    if size[0] != size[1]:
        raise ConfigError(f'{field}: {source} makes {size[0]}x{size[1]} (WxH) frames but {where} rotates by '
                          '90/270 degrees, which needs square frames; use a square crop or angles=(0, 180)')
    return None


def sampled_window(pipeline: Sequence) -> int:
    """Frames a clip spans, as MMAction2's SampleFrames counts it (``clip_len * frame_interval``); 1 if unknown."""
    for step in pipeline:
        if isinstance(step, dict) and step.get('type') in ('SampleFrames', 'UniformSample', 'DenseSampleFrames'):
            if step.get('type') == 'UniformSample':
                return int(step.get('clip_len', 1))
            return int(step.get('clip_len', 1)) * int(step.get('frame_interval', 1) or 1)
    return 1


def is_readable_dir(path: str) -> bool:
    return osp.isdir(path) and os.access(path, os.R_OK | os.X_OK)


# ----------------------------------------------------------------------------------------------
# The preflight tool (tools/check_dataset.py)

def check_dataset_main(argv: Optional[Sequence[str]] = None) -> int:
    """Scan an annotation list; print every bad entry and why; optionally write the good lines."""
    import argparse
    import sys
    import time

    parser = argparse.ArgumentParser(
        description='Preflight a video annotation list: report every missing, empty, unreadable, non-video, '
                    'truncated/corrupt or too-short video and every malformed line (exit status 1 if any).')
    parser.add_argument('ann_file', help='annotation list, "path label" per line')
    parser.add_argument('--data-prefix', default='', help='folder the paths in the list are relative to')
    parser.add_argument('--workers', type=int, default=os.cpu_count() or 1, help='parallel checker processes')
    parser.add_argument('--clip-len', type=int, default=16)
    parser.add_argument('--frame-interval', type=int, default=2)
    parser.add_argument('--min-frames', type=int, default=None,
                        help='frames a video needs (default: clip-len x frame-interval, as SampleFrames counts)')
    parser.add_argument('--num-classes', type=int, default=None, help='labels must be in [0, num_classes)')
    parser.add_argument('--delimiter', default=' ')
    parser.add_argument('--no-label', action='store_true', help='lines may be bare paths (inference lists)')
    parser.add_argument('--write-clean', metavar='OUT', help='write the good lines (unchanged) to OUT')
    args = parser.parse_args(argv)

    if not osp.isfile(args.ann_file):
        print(f'error: {args.ann_file}: no such annotation list', file=sys.stderr)
        return 2
    if args.data_prefix and not osp.isdir(args.data_prefix):
        print(f'error: --data-prefix {args.data_prefix}: not a directory', file=sys.stderr)
        return 2
    min_frames = args.min_frames or args.clip_len * args.frame_interval
    entries = read_annotation_list(args.ann_file, args.delimiter, num_classes=args.num_classes,
                                   require_label=not args.no_label)
    started, last = time.monotonic(), [0.0]

    def progress(done, total):
        now = time.monotonic()
        if done == total or now - last[0] > 0.5:
            last[0] = now
            rate = done / max(now - started, 1e-6)
            print(f'\rchecked {done}/{total} ({rate:.0f}/s)', end='\n' if done == total else '', file=sys.stderr,
                  flush=True)

    good, bad = [], []
    for entry, reason in scan_entries(entries, args.data_prefix, min_frames, max(1, args.workers), progress):
        if reason is None:
            good.append(entry)
        else:
            bad.append((entry, reason))
    for entry, reason in bad:
        where = f'{args.ann_file}:{entry.lineno}'
        print(f'{where}: {entry.filename}: {reason}' if entry.error is None else
              f'{where}: malformed line {entry.line!r}: {reason}')
    if args.write_clean:
        with open(args.write_clean, 'w') as f:
            f.writelines(entry.line + '\n' for entry in good)
    kinds = {}
    for _, reason in bad:
        kind = reason.split(' (')[0].split(':')[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    summary = ', '.join(f'{n} {k}' for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    print(f'{len(good)} good, {len(bad)} bad of {len(entries)} entries' + (f' ({summary})' if bad else '')
          + (f'; good lines written to {args.write_clean}' if args.write_clean else ''))
    return 1 if bad else 0
