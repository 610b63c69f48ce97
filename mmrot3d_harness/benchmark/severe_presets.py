"""SEVERE's presets (Thoker et al., ECCV 2022; SEVERE++ 2025): each downstream dataset is a description -- where
its lists come from, its classes, its one split, its metric, its fine-tuning configs per architecture
(``configs/severe/``) -- and ``severe`` is the table's group of them.

A preset's lists are checked before any job: every line must fit the layout its list tool writes (e.g.
``<id>.webm <label 0..173>`` for sthv2), else the benchmark stops with one line naming the line and the layout it
expected -- a list that fits no preset never reaches a job.
"""
import re
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from mmrot3d.datasets.video_list import read_video_list
from .labelled_sets import ARCHITECTURES, LabelledSet

# SEVERE fine-tunes torchvision's R(2+1)D-18: the default architecture, so ``scratch`` is its random init
SEVERE_ARCHITECTURES = ('r2plus1d18-torchvision', ) + tuple(a for a in ARCHITECTURES if a != 'r2plus1d18-torchvision')
CONFIG = 'configs/severe/{{architecture}}_{init}_1xb32-32x1x1-{epochs}e_{dataset}-{{input}}.py'
CHARADES = 'configs/severe/{architecture}_pretrained_1xb16-32x8x1-57e_charades-{input}.py'
# The SEVERE table (its columns in order, grouped by the factor each measures); charades adds a task column.
GROUPS = {'severe': ('ucf101-severe', 'sthv2', 'gym99', 'ucf101-1000', 'gym99-1000', 'fx-s1', 'ub-s1')}


class Spec(NamedTuple):
    """A SEVERE preset's description: its root (default; the ``--data-root`` keys after the preset's own),
    videos and lists under it, classes, the dataset of its configs with their epochs (SEVERE's recipe; the random
    init's where SEVERE has one), the list tool and the line it writes."""
    title: str
    root: str
    root_keys: Tuple[str, ...]
    videos: str
    lists: Tuple[str, str]
    classes: int
    dataset: str
    epochs: int
    scratch_epochs: Optional[int]
    tool: str
    line: str


UCF = ('ucf101_train_split_1_videos.txt', 'ucf101_val_split_1_videos.txt')
UCF_LINE = "'<Class>/v_<Class>_gXX_cYY.avi <label 0..100>'"
GYM = 'tools/data/gym/build_file_list.py'
GYM_LINE = "'<youtube id>_E_<start>_<end>_A_<start>_<end>.mp4 <label 0..{}>'"
GYM_KEYS = ('gym', 'gym99')  # --data-root gym=DIR (or gym99=DIR) serves every FineGym preset
SPECS = {
    'ucf101-severe':
    Spec('UCF101', 'data/ucf101', ('ucf101', ), 'UCF-101', UCF, 101, 'ucf101-split1', 160, 200,
         'tools/data/ucf101/build_file_list.py', UCF_LINE),
    'ucf101-1000':
    Spec('UCF (10³)', 'data/ucf101', ('ucf101', ), 'UCF-101', ('ucf101_train_split_1_1000samples_videos.txt', UCF[1]),
         101, 'ucf101-1000-split1', 160, None, 'tools/data/ucf101/build_severe_subset.py', UCF_LINE),
    'sthv2':
    Spec('SSv2', 'data/sthv2', (), 'videos', ('sthv2_train_list_videos.txt', 'sthv2_val_list_videos.txt'), 174, 'sthv2',
         44, 50, 'tools/data/sthv2/build_file_list.py', "'<id>.webm <label 0..173>'"),
    'gym99':
    Spec('Gym99', 'data/gym', GYM_KEYS, 'subactions', ('annotations/gym99_train.txt', 'annotations/gym99_val.txt'), 99,
         'gym99', 160, 200, GYM, GYM_LINE.format(98)),
    'gym99-1000':
    Spec('Gym (10³)', 'data/gym', GYM_KEYS, 'subactions',
         ('annotations/gym99_train_1000samples.txt', 'annotations/gym99_val.txt'), 99, 'gym99-1000', 160, None, GYM,
         GYM_LINE.format(98)),
    'fx-s1':
    Spec('FX-S1', 'data/gym', GYM_KEYS, 'subactions', ('annotations/fx_s1_train.txt', 'annotations/fx_s1_val.txt'), 11,
         'fx-s1', 180, 180, GYM, GYM_LINE.format(10)),
    'ub-s1':
    Spec('UB-S1', 'data/gym', GYM_KEYS, 'subactions', ('annotations/ub_s1_train.txt', 'annotations/ub_s1_val.txt'), 15,
         'ub-s1', 180, 180, GYM, GYM_LINE.format(14)),
    'gym288':
    Spec('Gym288', 'data/gym', GYM_KEYS, 'subactions', ('annotations/gym288_train.txt', 'annotations/gym288_val.txt'),
         288, 'gym288', 160, 200, GYM, GYM_LINE.format(287)),
    'diving48':
    Spec('Diving48', 'data/diving48', (), 'videos', ('diving48_train_list_videos.txt', 'diving48_val_list_videos.txt'),
         48, 'diving48', 160, None, 'tools/data/diving48/build_file_list.py', "'<vid_name>.mp4 <label 0..47>'"),
}
PRESETS = (*SPECS, 'charades')


def recognition(name: str, root: Path) -> LabelledSet:
    """A SEVERE action-recognition preset on ``root``: one split, one seed, SEVERE's configs, fine-tuning only."""
    spec, root = SPECS[name], Path(root).resolve()
    return LabelledSet(
        name,
        spec.title,
        root,
        root / spec.videos,
        spec.classes,
        CONFIG.format(init='pretrained', epochs=spec.epochs, dataset=spec.dataset),
        spec.tool,
        architectures=SEVERE_ARCHITECTURES,
        list_files=spec.lists,
        splits=(1, ),
        seeds=(0, ),
        scratch_config=spec.scratch_epochs
        and CONFIG.format(init='scratch', epochs=spec.scratch_epochs, dataset=spec.dataset),
        layout=spec.line,
        evaluations=())


def charades(root: Path) -> LabelledSet:
    """Charades, multi-label (mAP): MMAction2 1.2.0's multi-label VideoDataset and metric, SEVERE's PySlowFast
    recipe where MMAction2's parts allow (``configs/severe/_base_/datasets/charades.py``)."""
    root = Path(root).resolve()
    return LabelledSet(
        'charades',
        'Charades',
        root,
        root / 'Charades_v1_480',
        157,
        CHARADES,
        'tools/data/charades/build_file_list.py',
        architectures=SEVERE_ARCHITECTURES,
        list_files=('charades_train_list_videos.txt', 'charades_val_list_videos.txt'),
        splits=(1, ),
        seeds=(0, ),
        layout="'<id>.mp4 <label 0..156> [<label> ...]'",
        multi_class=True,
        metric='mAP',
        evaluations=())


def expand(datasets: Sequence[str]) -> List[str]:
    """Groups (``severe``) replaced by their presets, each dataset once, in order."""
    return list(dict.fromkeys(d for name in datasets for d in GROUPS.get(name, (name, ))))


def preset(name: str, data_roots: Dict[str, str]) -> LabelledSet:
    """The preset ``name`` on its root: ``--data-root NAME=DIR``, else the release's (e.g. ``gym=DIR`` for every
    FineGym preset), else the default."""
    default, keys = (SPECS[name].root, SPECS[name].root_keys) if name in SPECS else ('data/charades', ())
    root = Path(next((data_roots[k] for k in (name, *keys) if k in data_roots), default))
    return recognition(name, root) if name in SPECS else charades(root)


def root_keys() -> List[str]:
    """Every ``--data-root`` key besides the presets' names (the releases several presets share)."""
    return sorted({k for spec in SPECS.values() for k in spec.root_keys} - set(PRESETS))


def layout_problem(data: LabelledSet, splits: Sequence[int]) -> Optional[str]:
    """One line naming the first list line of ``data``'s lists that does not fit its ``layout`` (a malformed line,
    a label out of range, another file type than the preset's), or None."""
    if data.layout is None:
        return None
    for path in dict.fromkeys(p for s in splits for p in data.official_lists(s)):
        entries = read_video_list(path, multi_class=data.multi_class, num_classes=data.num_classes)
        ext = re.search(r'(\.\w+) <label', data.layout).group(1)  # the file type the list tool writes
        bad = next((e for e in entries if e.error or not e.path.endswith(ext)), None)
        if bad or not entries:
            why = (bad.error or f'not a {ext} file') if bad else 'no entries'
            where = f'{path}:{bad.lineno}' if bad else path
            return (f'{where}: {why}: {bad.text if bad else ""!r} does not fit the {data.title} preset ({data.name}), '
                    f'whose lists hold {data.layout} lines as python {data.list_tool} writes them')
    return None
