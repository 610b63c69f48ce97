"""Can a listed video give a clip? Checks of the files themselves, shared by RobustVideoDataset and the
dataset check (``tools/check_dataset.py``); every answer is one line naming what is wrong."""
import os.path as osp
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, Optional, Sequence, Tuple

from ..video_list import Entry

# The first bytes of the containers decord/FFmpeg read. A file that fails to decode *and* starts like
# none of these is "not a video"; one that starts like a container is "truncated or corrupt".
_SIGNATURES = (
    (4, (b'ftyp', b'moov', b'mdat', b'free', b'wide', b'skip', b'pnot')),  # MP4 / MOV / 3GP
    (0, (b'RIFF', )),  # AVI
    (0, (b'\x1a\x45\xdf\xa3', )),  # Matroska / WebM
    (0, (b'\x00\x00\x01\xba', b'\x00\x00\x01\xb3')),  # MPEG-PS / MPEG-1/2 video
    (0, (b'FLV', b'OggS', b'\x30\x26\xb2\x75')))  # FLV, Ogg, ASF/WMV


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


def scan_entries(entries: Sequence[Entry],
                 data_prefix: str = '',
                 min_frames: int = 1,
                 workers: int = 1,
                 progress: Optional[Callable[[int, int], None]] = None) -> Iterator[Tuple[Entry, Optional[str]]]:
    """Yield ``(entry, reason)`` for every entry (``reason`` None when good; a malformed line's reason is
    its parse error), checking files in parallel."""
    jobs = []
    for index, entry in enumerate(entries):
        if entry.error is None:
            jobs.append((index, osp.join(data_prefix, entry.path), min_frames))
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
