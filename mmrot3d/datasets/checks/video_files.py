"""Can a listed video give a clip? Checks of the files themselves, shared by RobustVideoDataset and the
dataset check (``tools/check_dataset.py``); every answer is one line naming what is wrong."""
import functools
import os
import os.path as osp
from typing import Optional, Sequence, Tuple, Type

# The first bytes of the containers decord/FFmpeg read. A file that fails to decode *and* starts like
# none of these is "not a video"; one that starts like a container is "truncated or corrupt".
_SIGNATURES = (
    (4, (b'ftyp', b'moov', b'mdat', b'free', b'wide', b'skip', b'pnot')),  # MP4 / MOV / 3GP
    (0, (b'RIFF', )),  # AVI
    (0, (b'\x1a\x45\xdf\xa3', )),  # Matroska / WebM
    (0, (b'\x00\x00\x01\xba', b'\x00\x00\x01\xb3')),  # MPEG-PS / MPEG-1/2 video
    (0, (b'FLV', b'OggS', b'\x30\x26\xb2\x75')))  # FLV, Ogg, ASF/WMV


@functools.lru_cache(maxsize=None)
def read_errors() -> Tuple[Type[BaseException], ...]:
    """What reading a bad video file raises in the readers MMAction2's pipelines use: the file missing or
    unreadable (``OSError``), decord's failures (``DECORDError``; ``RuntimeError`` for data FFmpeg cannot
    parse: zero bytes, garbage, a cut-off file), PyAV's (``av.FFmpegError``), a file that ends early
    (``EOFError``). Anything else (``TypeError``, ``KeyError``...) is a bug or a config error, not bad data."""
    errors = [OSError, RuntimeError, EOFError]
    for module, name in (('decord', 'DECORDError'), ('av', 'FFmpegError')):  # either may be absent
        try:
            errors.append(getattr(__import__(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(errors)


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
    except read_errors() as err:  # not TypeError and the like: a wrong argument is not a bad file
        first = str(err).strip().splitlines()[0][:120] if str(err).strip() else type(err).__name__
        kind = 'truncated or corrupt video' if looks_like_a_video_container(head) else 'not a video'
        return f'{kind} ({first})'
    return None


def missing_videos_hint(data_prefix: str, paths: Sequence[str]) -> str:
    """Where listed videos that are missing under ``data_prefix`` actually are, as advice for the message
    ("" if no guess fits): the prefix doubled (the paths already start with the prefix's last folder), the
    paths already complete, or the videos one folder deeper."""
    sample = [p for p in paths[:5] if p]
    if not sample:
        return ''
    prefix = osp.normpath(data_prefix or '.')
    first = sample[0].replace('\\', '/').split('/')[0]
    parent = osp.dirname(prefix)
    if first == osp.basename(prefix) and all(osp.exists(osp.join(parent, p)) for p in sample):
        return (f"the list's paths already start with '{first}/', which the prefix {data_prefix!r} ends with: "
                f'use {parent or "."!r}')
    if data_prefix and all(osp.exists(p) for p in sample):
        return f"the list's paths already lead to the videos without a prefix: drop {data_prefix!r}"
    try:
        folders = sorted(d.path for d in os.scandir(prefix) if d.is_dir())
    except OSError:
        return f'{data_prefix!r} is not a readable folder'
    for folder in folders:
        if all(osp.exists(osp.join(folder, p)) for p in sample):
            return f'the videos are one folder deeper: use {folder!r}'
    return ''
