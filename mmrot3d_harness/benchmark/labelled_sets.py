"""Where a benchmark's data lies: the labelled sets (UCF101, HMDB51, the synthetic UCF-style set) with
their three official splits and fine-tuning configs, and the synthetic pretraining set."""
import contextlib
import io
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from mmrot3d.datasets.video_list import read_video_list
from mmrot3d.structures.video_input import RGB
from mmrot3d.utils.shipped_files import shipped_path

FINETUNE_CONFIG = 'configs/rotnet3d/finetune/{architecture}_scratch_1xb32-16x2x1-150e_{name}-split{split}-{input}.py'
# The backbones UCF101 and HMDB51 fine-tune (a config per split each): ours (the paper's R3D-18) first, then
# torchvision's video ResNets, the architectures of most published video-SSL checkpoints.
ARCHITECTURES = ('r3d18', 'r3d18-torchvision', 'mc3-18-torchvision', 'r2plus1d18-torchvision')
SYNTHETIC_FINETUNE = 'configs/demo/r3d18-narrow_1xb8-8x4x1-2000it_synthetic-ucf-split1-{input}.py'
# The demo's pretraining: 32 clips through the backbone per step, 1200 steps (the paper preset's variants
# run 800 steps of the same size).
SYNTHETIC_PRETRAIN = 'configs/demo/rotnet3d_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-rgb.py'


@dataclass
class LabelledSet:
    """A benchmark preset: a labelled dataset as ``list_tool`` lists it, and its fine-tuning configs.

    ``config`` is the fine-tuning config of a split, backbone architecture and input (``{split}``,
    ``{architecture}`` and ``{input}``, the config's modality suffix: ``rgb`` or ``residual``, are replaced; a
    config without the first two serves every split, the lists being set by ``data_options``, or every
    architecture); ``scratch_config`` the random init's, where the protocol has its own recipe for it (SEVERE's).
    ``architectures``: those it has configs for, the default first. ``list_files``: the training and test list of
    a split under ``root`` (``{name}``: ``list_name``, ``{split}``); ``splits``, ``seeds``: the default ones.
    ``replaced`` maps an official list to the list the jobs read instead (the benchmark's data check: the
    list without its bad videos). ``layout``: the line every list must have (None: the data check judges the
    lines); ``multi_class``: lines with several labels (``metric`` ``mAP``). ``evaluations``: the benchmark's
    evaluations besides fine-tuning it runs (None: all of ``run.EVALUATIONS``).
    """
    name: str
    title: str
    root: Path
    video_root: Path
    num_classes: int
    config: str
    list_tool: str
    replaced: Dict[str, str] = field(default_factory=dict)
    architectures: Tuple[str, ...] = ARCHITECTURES
    list_files: Tuple[str, str] = ('{name}_train_split_{split}_videos.txt', '{name}_val_split_{split}_videos.txt')
    splits: Tuple[int, ...] = (1, 2, 3)
    seeds: Tuple[int, ...] = (0, 1, 2)
    scratch_config: Optional[str] = None
    layout: Optional[str] = None
    multi_class: bool = False
    metric: str = 'top1'
    evaluations: Optional[Tuple[str, ...]] = None

    def official_lists(self, split: int) -> Tuple[str, str]:
        """The training and test list of a split, as the list tool writes them."""
        return tuple(str(self.root / name.format(name=self.list_name, split=split)) for name in self.list_files)

    def lists(self, split: int) -> Tuple[str, str]:
        """The training and test list the jobs of a split read."""
        train, test = self.official_lists(split)
        return self.replaced.get(train, train), self.replaced.get(test, test)

    @property
    def list_name(self) -> str:
        return 'ucf101' if self.name == 'synthetic' else self.name

    def config_path(self,
                    split: int,
                    architecture: Optional[str] = None,
                    input_kind: str = RGB,
                    scratch: bool = False) -> str:
        """The fine-tuning config of a split for a backbone of ``architecture`` that sees ``input_kind`` (RGB or
        residual frames: :mod:`mmrot3d.structures.video_input`); ``scratch``: for the random init."""
        architecture = architecture or self.architectures[0]
        if architecture not in self.architectures:
            raise ValueError(f'{self.title} has no fine-tuning config for the architecture {architecture} '
                             f'(known: {", ".join(self.architectures)})')
        suffix = input_kind.split('(')[0]
        template = self.scratch_config if scratch and self.scratch_config else self.config
        relpath = template.format(name=self.name, split=split, architecture=architecture, input=suffix)
        try:
            return str(shipped_path(relpath))
        except FileNotFoundError:
            raise ValueError(f'{self.title} has no fine-tuning config for {architecture} on {input_kind} input '
                             f'({relpath})') from None

    def data_options(self,
                     train_list: str,
                     test_list: str,
                     validate: bool = True,
                     val_list: Optional[str] = None) -> List[str]:
        """``--cfg-options`` words pointing a fine-tuning or test job at these lists: it validates on
        ``val_list``, or as the configs do on the test list, unless ``validate`` is False."""
        words = [
            f'train_dataloader.dataset.ann_file={train_list}',
            f'train_dataloader.dataset.data_prefix.video={self.video_root}'
        ]
        lists = dict(val=val_list or test_list, test=test_list) if validate else dict(test=test_list)
        for loader, path in lists.items():
            words += [
                f'{loader}_dataloader.dataset.ann_file={path}',
                f'{loader}_dataloader.dataset.data_prefix.video={self.video_root}'
            ]
        return words

    def missing_lists(self, splits) -> Optional[str]:
        """One line naming the first missing list and the command that makes it, or None."""
        for split in splits:
            for path in self.official_lists(split):
                if not Path(path).is_file():
                    return (f'{path}: video list not found; build the lists with: python {self.list_tool} '
                            f'--root {self.root}')
        return None


def common_splits(sets: Sequence[LabelledSet], requested: Optional[Sequence[int]]) -> List[int]:
    """The splits a benchmark of ``sets`` runs: ``requested`` (``--splits``), each of which every set must have,
    else the sets' own, which must agree (UCF101's 3 splits beside SEVERE's one: give ``--splits 1``)."""
    if requested is None:
        own = {data.splits for data in sets}
        if len(own) > 1:
            raise ValueError('the datasets have different splits (' +
                             ', '.join(f'{d.name}: {" ".join(map(str, d.splits))}'
                                       for d in sets) + '): give --splits for all of them')
        return list(own.pop())
    lacking = next((d for d in sets if not set(requested) <= set(d.splits)), None)
    if lacking:
        raise ValueError(f'--splits {" ".join(map(str, requested))}: {lacking.title} ({lacking.name}) has split(s) '
                         f'{" ".join(map(str, lacking.splits))} only')
    return list(requested)


def ucf101(root: str = 'data/ucf101') -> LabelledSet:
    root = Path(root).resolve()
    return LabelledSet('ucf101', 'UCF101', root, root / 'UCF-101', 101, FINETUNE_CONFIG,
                       'tools/data/ucf101/build_file_list.py')


def hmdb51(root: str = 'data/hmdb51') -> LabelledSet:
    root = Path(root).resolve()
    return LabelledSet('hmdb51', 'HMDB51', root, root / 'videos', 51, FINETUNE_CONFIG,
                       'tools/data/hmdb51/build_file_list.py')


def synthetic(root: str = 'data/synthetic') -> LabelledSet:
    ucf = Path(root).resolve() / 'ucf_style'
    return LabelledSet(
        'synthetic',
        'Synthetic (UCF-style)',
        ucf,
        ucf / 'UCF-101',
        12,
        SYNTHETIC_FINETUNE,
        'tools/data/ucf101/build_file_list.py',
        architectures=('r3d18-narrow', ))


def synthetic_pretraining(root: str = 'data/synthetic') -> Dict[str, str]:
    """The Kinetics-style lists, their video folder and the held-out clips' twins (actor-free, actor as a blob)."""
    root = Path(root).resolve()
    kin = root / 'kinetics_style'
    return dict(
        train=str(kin / 'kinetics400_train_list_videos.txt'),
        val=str(kin / 'kinetics400_val_list_videos.txt'),
        videos=str(kin / 'videos'),
        actor_free=str(root / 'controls' / 'actor_free' / 'videos'),
        actor_blob=str(root / 'controls' / 'actor_blob' / 'videos'))


def _write_lists(kin: Path, ucf: Path) -> None:
    """The lists ``tools/data/{kinetics400,ucf101}/build_file_list.py --root`` write from the generator's official
    layouts (their summary lines left out of the benchmark's output)."""
    from ..preparation import build_kinetics400_lists, build_ucf101_lists, write_kinetics400_lists, write_split_lists
    with contextlib.redirect_stdout(io.StringIO()):
        write_kinetics400_lists(kin, *build_kinetics400_lists(kin / 'train.csv', kin / 'validate.csv', kin / 'videos'))
        write_split_lists('ucf101', *build_ucf101_lists(ucf / 'ucfTrainTestlist'), ucf / 'UCF-101', ucf)


def _controls_complete(root: Path, val_list: Path) -> bool:
    twins = [root / 'controls' / kind / 'videos' for kind in ('actor_free', 'actor_blob')]
    return all((twin / e.path).is_file() for e in read_video_list(val_list) for twin in twins)


def prepare_synthetic(data_root: str = 'data/synthetic',
                      pretrain_clips: int = 4000,
                      clips_per_class: int = 48,
                      groups: int = 24,
                      frames: int = 32,
                      size: int = 64,
                      seed: int = 0,
                      workers: Optional[int] = None,
                      controls: bool = True,
                      bars: float = 0.0,
                      logo: bool = False) -> Dict:
    """Generate the synthetic set if missing (same parameters: reused) with its controls (the held-out clips'
    twins), and build the lists as the official-layout tools ``tools/data/{kinetics400,ucf101}/build_file_list.py``
    do (all skipped when everything is there). ``bars`` and ``logo`` put those shortcuts into the pretraining
    clips (the generator's ``Params``)."""
    from ..synthetic.generator import Params, is_complete
    params = Params(
        seed=seed,
        pretrain_clips=pretrain_clips,
        pretrain_val_clips=max(1, pretrain_clips // 10),
        clips_per_class=clips_per_class,
        groups=groups,
        frames=frames,
        size=size,
        bars=bars,
        logo=logo)
    root = Path(data_root)
    kin, ucf = root / 'kinetics_style', root / 'ucf_style'
    generated = not is_complete(params, root)
    lists = [kin / 'kinetics400_val_list_videos.txt', ucf / 'ucf101_val_split_3_videos.txt']
    if not generated and all(p.is_file() for p in lists) and (not controls or _controls_complete(root, lists[0])):
        return dict(root=str(root), generated=False, params=dict(params.__dict__))
    args = [
        '--out', root, '--seed', seed, '--pretrain-clips', pretrain_clips, '--clips-per-class', clips_per_class,
        '--groups', groups, '--frames', frames, '--size', size
    ]
    if workers:
        args += ['--workers', workers]
    if bars:
        args += ['--bars', bars]
    if logo:
        args.append('--logo')
    if controls:
        args.append('--controls')
    # The generator in its own process: its worker pool must not be forked from a process holding torch
    # thread pools (that can deadlock).
    subprocess.run([sys.executable, str(shipped_path('tools/data/synthetic/generate.py')), *map(str, args)], check=True)
    _write_lists(kin, ucf)
    return dict(root=str(root), generated=generated, params=dict(params.__dict__))
