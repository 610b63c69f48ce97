"""Tiny trees in the exact layouts of the releases SEVERE's presets read, with their quirks: Something-Something
v2 (numbered ``<id>.webm`` VP9 videos at 12 fps, JSON labels keyed by templates without brackets, records with
bracketed templates, a label-less test JSON), FineGym (the competition videos, ``annotation.json`` with events
and their element segments, one event with ``"segments": null``, a 3-stage element, the element lists cut by
MMAction2's own trim scripts), Diving48 (V2 JSONs, names starting with ``-``) and Charades (classes file, CSVs
whose quoted scripts hold commas, videos without actions). Used by tests/harness/preparation/test_severe_lists.py
and test_severe.py (imported as ``tests.harness.benchmark.severe_trees``)."""
import atexit
import contextlib
import csv
import functools
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np

SSV2_CLASSES = 174
# (id, label) of the train and validation JSONs; 198186 is listed but its video is not on disk
SSV2_TRAIN = [(74225, 0), (116154, 1), (198186, 2), (137878, 0), (151151, 1), (195025, 2), (3, 0), (41, 1)]
SSV2_VAL = [(172305, 0), (92355, 1), (35671, 2)]
SSV2_MISSING = {198186}
GYM_VIDEOS = ('A0xAXXysHUo', '-ZWtDx8kT9c')  # YouTube ids (11 characters, may start with '-')
DIVING_TRAIN = [('-mmq0PT-u8k_00155', 0), ('-mmq0PT-u8k_00156', 0), ('3N1kUtqJ25A_00010', 1), ('3N1kUtqJ25A_00011', 1),
                ('9zBkd1BKtHo_00040', 2), ('9zBkd1BKtHo_00041', 2)]
DIVING_TEST = [('1Xb6E2eVaNg_00070', 0), ('1Xb6E2eVaNg_00071', 1), ('1Xb6E2eVaNg_00072', 2)]
CHARADES_TRAIN = [('46GP8', 'c092 11.90 21.20;c147 0.00 12.60'), ('N11GT', 'c098 8.60 14.20;c075 0.00 11.70'),
                  ('0IH69', ''), ('KRF68', 'c092 2.10 8.00'), ('MJO7C', 'c147 1.00 5.00;c098 0.00 3.00')]
CHARADES_TEST = [('YSKX3', 'c092 0.00 4.50'), ('ZZXQF', 'c147 3.30 8.00;c075 0.00 2.00')]


def clip(seed: int, frames: int, size=(48, 64)) -> np.ndarray:
    """``(T, H, W, 3)`` uint8: a bright block moving over dim noise."""
    rng = np.random.default_rng(seed)
    out = rng.integers(0, 60, size=(frames, *size, 3), dtype=np.uint8)
    x = int(rng.integers(2, size[1] - 12))
    for t in range(frames):
        out[t, (t % (size[0] - 8)):(t % (size[0] - 8)) + 8, x:x + 10] = rng.integers(150, 256, size=3, dtype=np.uint8)
    return out


def write_av(path: Path, frames: np.ndarray, fps: float, codec: str) -> Path:
    """A real video through PyAV's FFmpeg: ``libvpx-vp9`` in .webm (Something-Something v2's files) or
    ``libx264`` in .mp4 (YouTube downloads, MMAction2's trims, Diving48, Charades). Not in a process that has
    loaded decord, whose libvpx breaks PyAV's VP9 encoder ("ABI version mismatch"): :func:`write_videos`."""
    import av
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), 'w') as out:
        stream = out.add_stream(codec, rate=Fraction(fps).limit_denominator(1000))
        stream.height, stream.width = frames.shape[1:3]
        stream.pix_fmt = 'yuv420p'
        for frame in frames:
            out.mux(stream.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format='rgb24')))
        out.mux(stream.encode())
    return path


def write_videos(jobs: Sequence) -> None:
    """``(path, seed, frames, fps, codec)`` each written by :func:`write_av` of ``clip(seed, frames)``, in a
    process of their own (this file as a script: numpy and PyAV only)."""
    text = json.dumps([[str(p), *rest] for p, *rest in jobs])
    subprocess.run([sys.executable, __file__, text], check=True)


def make_sthv2(root: Path) -> Path:
    """``annotations/something-something-v2-{labels,train,validation,test}.json`` + ``videos/<id>.webm``."""
    ann = root / 'annotations'
    ann.mkdir(parents=True)
    templates = [f'Moving [something] {k} times across [something]' for k in range(SSV2_CLASSES)]
    labels = {t.replace('[', '').replace(']', ''): str(k) for k, t in enumerate(templates)}
    (ann / 'something-something-v2-labels.json').write_text(json.dumps(labels, indent=1))
    for name, records in (('train', SSV2_TRAIN), ('validation', SSV2_VAL)):
        rows = [
            dict(id=str(i), label=f'moving cup {k} times across table', template=templates[k], placeholders=['cup'])
            for i, k in records
        ]
        (ann / f'something-something-v2-{name}.json').write_text(json.dumps(rows))
    (ann / 'something-something-v2-test.json').write_text(json.dumps([{'id': '1420'}, {'id': '166429'}]))
    write_videos([(root / 'videos' / f'{i}.webm', i, 30, 12, 'libvpx-vp9') for i, _ in SSV2_TRAIN + SSV2_VAL
                  if i not in SSV2_MISSING])
    return root


def _gym_events() -> Dict:
    """annotation.json: per video two events with three elements each (one of them in 3 stages), and an event
    without element annotations; event keys floor the event's seconds, element keys their offsets in it."""
    out = {}
    for v, video in enumerate(GYM_VIDEOS):
        events = {}
        for start, end in ((1.3, 6.4), (7.2, 12.6)):
            segments = {}
            for a, (s, e) in enumerate(((0.2, 1.6), (1.8, 3.1), (3.3, 4.9))):
                stamps = [[s, s + 0.4], [s + 0.5, s + 0.9], [s + 1.0, e]] if a == 2 and v == 0 else [[s, e]]
                segments[f'A_{int(s):04d}_{int(e):04d}'] = dict(stages=len(stamps), timestamps=stamps)
            events[f'E_{int(start):06d}_{int(end):06d}'] = dict(
                event=1 + v, segments=segments, timestamps=[[start, end]])
        events['E_000013_000014'] = dict(event=4, segments=None, timestamps=[[13.1, 14.0]])
        out[video] = events
    return out


def gym_elements() -> List[str]:
    """The element ids of ``annotation.json`` (``<video>_<event>_<element>``), in file order."""
    return [
        f'{v}_{e}_{a}' for v, events in _gym_events().items() for e, info in events.items()
        for a in (info['segments'] or {})
    ]


# Gym99 labels of the 12 elements: FX-S1 (6..16) and UB-S1 (74..88) classes, and two outside both
GYM_LABELS = [6, 7, 74, 75, 6, 16, 74, 88, 7, 75, 0, 98]
GYM_VAL = {2, 5, 8, 9}  # indices of the validation elements


def make_gym(root: Path, missing_video: bool = False) -> Path:
    """``videos/<youtube id>.mp4`` (15 s at 10 fps), ``annotations/annotation.json`` and
    ``annotations/gym99_{train,val}_org.txt``; ``missing_video``: the second competition video never downloaded."""
    ann = root / 'annotations'
    ann.mkdir(parents=True)
    (ann / 'annotation.json').write_text(json.dumps(_gym_events()))
    elements = gym_elements()
    for subset, keep in (('train', lambda i: i not in GYM_VAL), ('val', lambda i: i in GYM_VAL)):
        (ann / f'gym99_{subset}_org.txt').write_text(''.join(f'{e} {GYM_LABELS[i]}\n' for i, e in enumerate(elements)
                                                             if keep(i)))
    write_videos([(root / 'videos' / f'{video}.mp4', 300 + v, 150, 10, 'libx264')
                  for v, video in enumerate(GYM_VIDEOS[:1] if missing_video else GYM_VIDEOS)])
    return root


FFMPEG = '''#!{python}
"""ffmpeg for the tests: `ffmpeg -i IN -ss START -t DURATION ... OUT`, as MMAction2's FineGym trim scripts call it
(seeking on the output: frames from START for DURATION seconds), re-encoded with libx264 by PyAV's FFmpeg. An
existing OUT is kept with exit status 1, as ffmpeg answers its overwrite prompt when stdin is not a terminal."""
import os
import sys
from fractions import Fraction

import av

args = sys.argv[1:]
src, out = args[args.index('-i') + 1], args[-1]
start, length = float(args[args.index('-ss') + 1]), float(args[args.index('-t') + 1])
if os.path.exists(out):
    sys.exit(f"File '{{out}}' already exists. Exiting.")
with av.open(src) as video:
    stream = video.streams.video[0]
    rate = stream.average_rate
    frames = [f.to_ndarray(format='rgb24') for f in video.decode(stream) if start <= f.time < start + length]
if not frames:
    sys.exit(f'{{src}}: nothing between {{start}} and {{start + length}} s')
with av.open(out, 'w') as cut:
    encoded = cut.add_stream('libx264', rate=Fraction(rate))
    encoded.height, encoded.width = frames[0].shape[:2]
    encoded.pix_fmt = 'yuv420p'
    for frame in frames:
        cut.mux(encoded.encode(av.VideoFrame.from_ndarray(frame, format='rgb24')))
    cut.mux(encoded.encode())
'''


def ffmpeg_standin(bin_dir: Path) -> Path:
    """``bin_dir/ffmpeg``: the stand-in above (this machine has no ffmpeg binary); put ``bin_dir`` first on PATH."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    path = bin_dir / 'ffmpeg'
    path.write_text(FFMPEG.format(python=sys.executable))
    path.chmod(0o755)
    return path


def make_diving48(root: Path) -> Path:
    """``annotations/Diving48_V2_{train,test}.json``, ``Diving48_vocab.json`` and ``videos/<vid_name>.mp4``."""
    ann = root / 'annotations'
    ann.mkdir(parents=True)
    for name, rows in (('train', DIVING_TRAIN), ('test', DIVING_TEST)):
        records = [dict(vid_name=v, label=k, start_frame=0, end_frame=48 + i) for i, (v, k) in enumerate(rows)]
        (ann / f'Diving48_V2_{name}.json').write_text(json.dumps(records, indent=2))
    vocab = [['Back', f'{k % 5}som', 'NoTwis', 'PIKE'] for k in range(48)]
    (ann / 'Diving48_vocab.json').write_text(json.dumps(vocab, indent=2))
    write_videos([(root / 'videos' / f'{v}.mp4', 500 + i, 40, 25, 'libx264')
                  for i, (v, _) in enumerate(DIVING_TRAIN + DIVING_TEST)])
    return root


def _charades_csv(rows: Sequence) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow('id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length'.split(','))
    for i, (video, actions) in enumerate(rows):
        script = f'A person opens a door, then sits down; scene {i}.'  # commas inside a quoted field
        writer.writerow([video, 'HR43', 'Kitchen', '6', '7', 'Yes', script, 'door;chair', script, actions, '30.00'])
    return out.getvalue()


def make_charades(root: Path) -> Path:
    """``Charades_v1_classes.txt`` (157), ``Charades_v1_{train,test}.csv`` and ``Charades_v1_480/<id>.mp4``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / 'Charades_v1_classes.txt').write_text(''.join(f'c{k:03d} Holding thing {k}\n' for k in range(157)))
    for name, rows in (('train', CHARADES_TRAIN), ('test', CHARADES_TEST)):
        (root / f'Charades_v1_{name}.csv').write_text(_charades_csv(rows))
    write_videos([(root / 'Charades_v1_480' / f'{video}.mp4', 700 + i, 48, 24, 'libx264')
                  for i, (video, _) in enumerate(CHARADES_TRAIN + CHARADES_TEST)])
    return root


@contextlib.contextmanager
def ffmpeg_on_path(bin_dir: Path):
    """The stand-in ffmpeg first on PATH while the block runs (MMAction2's trim scripts find it there)."""
    ffmpeg_standin(bin_dir)
    saved = os.environ.get('PATH', '')
    os.environ['PATH'] = f'{bin_dir}{os.pathsep}{saved}'
    try:
        yield
    finally:
        os.environ['PATH'] = saved


def cut_and_list_gym(root: Path) -> Path:
    """MMAction2's trims (tools/data/gym/trim_videos.py) with the stand-in ffmpeg, then the lists."""
    from mmrot3d_harness.preparation import finegym
    with ffmpeg_on_path(root.parent / f'{root.name}_bin'):
        finegym.trim(root)
    finegym.build(root)
    return root


@functools.lru_cache(maxsize=None)
def built_tree(name: str) -> Path:
    """The ``sthv2``, ``gym``, ``diving48`` or ``charades`` tree of this test session with its lists built by
    our tools (FineGym's cut by MMAction2's scripts first); made on first use, removed at exit."""
    from mmrot3d_harness.preparation import charades, diving48, sthv2
    root = Path(tempfile.mkdtemp(prefix=f'mmrot3d_severe_{name}_')) / name
    atexit.register(shutil.rmtree, root.parent, ignore_errors=True)
    if name == 'gym':
        return cut_and_list_gym(make_gym(root))
    make = dict(sthv2=make_sthv2, diving48=make_diving48, charades=make_charades)[name]
    build = dict(sthv2=sthv2.build, diving48=diving48.build, charades=charades.build)[name]
    build(make(root))
    return root


def copy_tree(name: str, dest: Path) -> Path:
    """A copy of the session's ``name`` tree at ``dest`` (its lists hold relative paths), to damage."""
    shutil.copytree(built_tree(name), dest, symlinks=True)
    return dest


if __name__ == '__main__':  # write_videos' process
    for path, seed, frames, fps, codec in json.loads(sys.argv[1]):
        write_av(Path(path), clip(seed, frames), fps, codec)
