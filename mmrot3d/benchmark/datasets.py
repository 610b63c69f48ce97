"""Dataset specs for the protocol: the synthetic benchmark (generated on demand) and UCF101/HMDB51."""
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

from ..utils.shipped_files import shipped_path
from .protocol import DatasetSpec


def _run_tool(tool: str, *args) -> None:
    """Run one of the shipped data tools (``tools/data/...``) as a separate process: the CLI a user runs."""
    subprocess.run([sys.executable, str(shipped_path(tool)), *map(str, args)], check=True, stdout=subprocess.DEVNULL)


def prepare_synthetic(data_root: str = 'data/synthetic', pretrain_clips: int = 4000, clips_per_class: int = 24,
                      groups: int = 6, frames: int = 32, size: int = 64, seed: int = 0,
                      workers: Optional[int] = None, actor_free: bool = True) -> Dict:
    """Generate the synthetic set if missing (same parameters -> reused), add the actor-free controls,
    and build the MMAction2 lists with the official-layout tools ``tools/data/{kinetics400,ucf101}``."""
    from mmrot3d.datasets.synthetic.generator import Params, is_complete
    params = Params(seed=seed, pretrain_clips=pretrain_clips, pretrain_val_clips=max(1, pretrain_clips // 10),
                    clips_per_class=clips_per_class, groups=groups, frames=frames, size=size)
    root = Path(data_root)
    generated = not is_complete(params, root)
    # The generator's CLI in its own process: its worker pool must not fork a process that holds
    # torch/OpenMP thread pools (that can deadlock).
    args = ['--out', root, '--seed', seed, '--pretrain-clips', pretrain_clips, '--clips-per-class', clips_per_class,
            '--groups', groups, '--frames', frames, '--size', size]
    if workers:
        args += ['--workers', workers]
    if actor_free:
        args.append('--actor-free-controls')
    subprocess.run([sys.executable, str(shipped_path('tools/data/synthetic/generate.py')), *map(str, args)],
                   check=True)
    free_root = root / 'controls' / 'actor_free' / 'videos' if actor_free else None
    kin, ucf = root / 'kinetics_style', root / 'ucf_style'
    if generated or not (kin / 'kinetics400_val_list_videos.txt').is_file():
        _run_tool('tools/data/kinetics400/build_file_list.py', '--root', kin)
    if generated or not (ucf / 'ucf101_val_split_3_videos.txt').is_file():
        _run_tool('tools/data/ucf101/build_file_list.py', '--root', ucf)
    return dict(root=str(root), generated=generated, params=dict(params.__dict__),
                actor_free_root=str(free_root) if free_root else None)


def synthetic_spec(data_root: str = 'data/synthetic', actor_free: bool = True) -> DatasetSpec:
    root = Path(data_root)
    kin, ucf = root / 'kinetics_style', root / 'ucf_style'
    classes = (ucf / 'ucf101_classes.txt')
    num_classes = len(classes.read_text().split()) if classes.is_file() else 12
    return DatasetSpec(
        name='synthetic-actions', pretrain_train=str(kin / 'kinetics400_train_list_videos.txt'),
        pretrain_val=str(kin / 'kinetics400_val_list_videos.txt'), pretrain_root=str(kin / 'videos'),
        labeled_root=str(ucf / 'UCF-101'),
        splits={k: (str(ucf / f'ucf101_train_split_{k}_videos.txt'), str(ucf / f'ucf101_val_split_{k}_videos.txt'))
                for k in (1, 2, 3)},
        num_classes=num_classes,
        actor_free_root=str(root / 'controls' / 'actor_free' / 'videos') if actor_free else None)


def _labeled_spec(name: str, root: Path, videos: str, num_classes: int, kinetics_root: str) -> DatasetSpec:
    """A labelled set with 3 official splits (``<name>_{train,val}_split_<s>_videos.txt`` as the
    ``tools/data/<name>/build_file_list.py`` tools write them) and Kinetics-400 pretraining."""
    k = Path(kinetics_root)
    return DatasetSpec(
        name=name, pretrain_train=str(k / 'kinetics400_train_list_videos.txt'),
        pretrain_val=str(k / 'kinetics400_val_list_videos.txt'), pretrain_root=str(k / 'videos'),
        labeled_root=str(root / videos),
        splits={s: (str(root / f'{name}_train_split_{s}_videos.txt'), str(root / f'{name}_val_split_{s}_videos.txt'))
                for s in (1, 2, 3)}, num_classes=num_classes)


def ucf101_spec(ucf_root: str = 'data/ucf101', kinetics_root: str = 'data/kinetics400') -> DatasetSpec:
    """UCF101 (lists from tools/data/ucf101/build_file_list.py) with Kinetics-400 pretraining."""
    return _labeled_spec('ucf101', Path(ucf_root), 'UCF-101', 101, kinetics_root)


def hmdb51_spec(hmdb_root: str = 'data/hmdb51', kinetics_root: str = 'data/kinetics400') -> DatasetSpec:
    """HMDB51 (lists from tools/data/hmdb51/build_file_list.py) with Kinetics-400 pretraining."""
    return _labeled_spec('hmdb51', Path(hmdb_root), 'videos', 51, kinetics_root)
