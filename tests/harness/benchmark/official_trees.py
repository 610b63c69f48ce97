"""Official-layout UCF101 and HMDB51 trees (tiny generated videos named exactly like the releases, lists
built by our data tools), made once per test session, and the command-line overrides that make the real
fine-tuning configs tiny. (A module, not a second conftest.py: test files import ``conftest`` by name.)"""
import atexit
import functools
import importlib.util
import shutil
import tempfile
from pathlib import Path

import numpy as np
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

from mmrot3d.models.converters import to_torchvision
from mmrot3d.utils.shipped_files import shipped_path
from mmrot3d_harness.video_io import write_video

TORCHVISION_R3D = 'configs/rotnet3d/finetune/r3d18-torchvision_scratch_1xb32-16x2x1-150e_ucf101-split1-rgb.py'

UCF_CLASSES = ['ApplyEyeMakeup', 'Basketball', 'YoYo']
HMDB_CLASSES = ['brush_hair', 'cartwheel', 'catch']


def load_tool(relpath: str):
    """A shipped tool script imported as a module (its ``main(argv)`` is what the command line runs)."""
    spec = importlib.util.spec_from_file_location(f'mmrot3d_tool_{Path(relpath).stem}', shipped_path(relpath))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _clip(seed: int) -> np.ndarray:
    """``(16, 32, 32, 3)`` uint8: a bright block falling over noise."""
    rng = np.random.default_rng(seed)
    frames = rng.integers(0, 60, size=(16, 32, 32, 3), dtype=np.uint8)
    x = int(rng.integers(2, 22))
    for t in range(16):
        frames[t, t:t + 6, x:x + 8] = rng.integers(150, 256, size=3, dtype=np.uint8)
    return frames


def _crlf(lines) -> bytes:
    return ''.join(f'{line}\r\n' for line in lines).encode()


def make_ucf101(root: Path) -> Path:
    """``UCF-101/<Class>/v_<Class>_gXX_cYY.avi`` (3 classes x 3 groups x 2 clips) and ``ucfTrainTestlist/``
    (CRLF like the release; split k tests group k), then the lists by tools/data/ucf101/build_file_list.py."""
    videos = {c: [f'{c}/v_{c}_g{g:02d}_c{k:02d}.avi' for g in (1, 2, 3) for k in (1, 2)] for c in UCF_CLASSES}
    for i, (c, names) in enumerate(videos.items()):
        for j, name in enumerate(names):
            (root / 'UCF-101' / c).mkdir(parents=True, exist_ok=True)
            write_video(root / 'UCF-101' / name, _clip(10 * i + j))
    ann = root / 'ucfTrainTestlist'
    ann.mkdir(parents=True)
    (ann / 'classInd.txt').write_bytes(_crlf(f'{i} {c}' for i, c in enumerate(UCF_CLASSES, 1)))
    for split in (1, 2, 3):
        tag = f'_g{split:02d}_'
        (ann / f'trainlist0{split}.txt').write_bytes(
            _crlf(f'{v} {i}' for i, c in enumerate(UCF_CLASSES, 1) for v in videos[c] if tag not in v))
        (ann / f'testlist0{split}.txt').write_bytes(_crlf(v for c in UCF_CLASSES for v in videos[c] if tag in v))
    load_tool('tools/data/ucf101/build_file_list.py').main(['--root', str(root)])
    return root


def make_hmdb51(root: Path) -> Path:
    """``videos/<class>/<name>.avi`` (3 classes x 4 videos) and ``testTrainMulti_7030_splits/`` (flags 1 train,
    2 test, 0 unused; 2 + 1 + 1 per class and split), then the lists by tools/data/hmdb51/build_file_list.py."""
    splits = root / 'testTrainMulti_7030_splits'
    splits.mkdir(parents=True)
    for i, c in enumerate(HMDB_CLASSES):
        names = [f'April_09_{c}_u_nm_np1_ba_goo_{k}.avi' for k in range(4)]
        (root / 'videos' / c).mkdir(parents=True)
        for k, name in enumerate(names):
            write_video(root / 'videos' / c / name, _clip(100 + 10 * i + k))
        for split in (1, 2, 3):
            flags = ['1', '1', '2', '0'][split - 1:] + ['1', '1', '2', '0'][:split - 1]
            (splits / f'{c}_test_split{split}.txt').write_text(''.join(f'{n} {f} \n' for n, f in zip(names, flags)))
    load_tool('tools/data/hmdb51/build_file_list.py').main(['--root', str(root)])
    return root


@functools.lru_cache(maxsize=None)
def official_tree(name: str) -> Path:
    """The ``ucf101`` or ``hmdb51`` tree of this test session (made on first use, removed at exit)."""
    root = Path(tempfile.mkdtemp(prefix=f'mmrot3d_{name}_'))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return dict(ucf101=make_ucf101, hmdb51=make_hmdb51)[name](root)


# The damage real downloads show -> the reason the data check gives (prefix).
DAMAGE = {
    'zero-byte': 'zero-byte file',
    'cut': 'truncated or corrupt video',  # the first 3 kB of the file
    'text': 'not a video',  # a text file with the video's name
    'missing': 'missing',
    'directory': 'a directory, not a file',
    'broken symlink': 'broken symlink',
}


def damage(path: Path, kind: str) -> None:
    """Damage the video at ``path`` the ``DAMAGE`` way ``kind``."""
    data = path.read_bytes()
    path.unlink()
    if kind == 'zero-byte':
        path.write_bytes(b'')
    elif kind == 'cut':
        path.write_bytes(data[:3000])
    elif kind == 'text':
        path.write_text('<html>404 Not Found</html>\n' * 20)
    elif kind == 'directory':
        path.mkdir()
    elif kind == 'broken symlink':
        path.symlink_to(path.with_name('gone.avi'))
    elif kind != 'missing':
        raise ValueError(kind)


def damaged_tree(name: str, dest: Path, damaged: dict) -> Path:
    """A copy of the session's ``name`` tree at ``dest`` (its lists hold relative paths) with the videos in
    ``damaged`` (path relative to the video folder -> ``DAMAGE`` kind) damaged."""
    shutil.copytree(official_tree(name), dest, symlinks=True)
    videos = dest / dict(ucf101='UCF-101', hmdb51='videos')[name]
    for relpath, kind in damaged.items():
        damage(videos / relpath, kind)
    return dest


def tiny_options(epochs: int = 1) -> list:
    """``--cfg-options`` that shrink configs/rotnet3d/finetune/*: an R3D-18 with 8 base channels, 4-frame
    clips of 28x28, batch 4, ``epochs`` epochs. Schedule shape, optimizer and the 10-clip test stay."""
    words = [
        'model.backbone.base_channels=8', 'model.cls_head.in_channels=64', f'train_cfg.max_epochs={epochs}',
        'train_dataloader.batch_size=4', 'train_dataloader.dataset.pipeline.4.size=28'
    ]
    for loader in ('train', 'val', 'test'):
        words += [
            f'{loader}_dataloader.dataset.pipeline.1.clip_len=4',
            f'{loader}_dataloader.dataset.pipeline.3.scale=(-1,32)'
        ]
    return words + ['val_dataloader.dataset.pipeline.4.crop_size=28', 'test_dataloader.dataset.pipeline.4.crop_size=28']


def benchmark(argv):
    """``python tools/benchmark.py ARGV`` in this process (the script only calls this)."""
    from mmrot3d_harness.benchmark.cli import main
    return main([str(a) for a in argv])


def narrow_torchvision_file(path, base_channels=8, wrap=lambda state: state):
    """A torchvision-keyed r3d_18 state dict of the narrow width tiny_options() fine-tunes, saved as
    ``wrap(state)``; returns the backbone as MMAction2 keys it."""
    cfg = Config.fromfile(shipped_path(TORCHVISION_R3D))
    torch.manual_seed(2)
    module = MODELS.build(dict(cfg.model.backbone.to_dict(), base_channels=base_channels))
    torch.save(wrap(to_torchvision(module.state_dict(), 'r3d_18')), path)
    return module.state_dict()
