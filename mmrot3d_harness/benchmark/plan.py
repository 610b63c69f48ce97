"""The jobs that evaluate backbones on labelled sets: fine-tune + test per backbone x split x seed x label
setting, and one frozen-feature job per backbone x dataset (all splits from one pass over the videos).

Every fine-tuning job is ``tools/train.py CONFIG --cfg-options ...`` with the split's lists, the seed, the
backbone file (``PretrainedBackboneHook``, strict) and the user's ``--cfg-options``; every test is
``tools/test.py`` with the same options on the job's last checkpoint (the config's test protocol, e.g.
10 clips per video).
"""
import copy
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config

from mmrot3d.datasets.video_list import read_video_list
from .backbone_files import Backbone, export_pretrained, parse_options
from .jobs import Deferred, Job
from .labelled_sets import LabelledSet
from .outputs import collect_test, collect_training
from .subsets import label_subset, subset_name

SEED_OPTIONS = ['default_hooks.epoch_seed.type=EpochSeedHook']  # exact resume (mmrot3d/engine/hooks)


@dataclass(frozen=True)
class LabelSetting:
    """All training labels (both None), a fraction of each class, or a class-balanced sample count."""
    fraction: Optional[float] = None
    samples: Optional[int] = None

    @property
    def name(self) -> str:
        return subset_name(self.fraction, self.samples)


@dataclass
class Plan:
    """Args:
        work_dir: the benchmark's folder. options: the user's ``--cfg-options`` words (every job).
        backbone_files: NAME -> file to load (absent: random init). backbone_after: NAME -> job that makes it.
        val_lists: split -> (training, validation) lists carved from the split's training list: fine-tuning
            trains on the first and validates on the second (synthetic presets); without: the training list,
            validated on the test list as the configs do (``validate``). extra: more ``--cfg-options`` words
            for every fine-tuning and test job.
    """
    work_dir: Path
    splits: Sequence[int]
    seeds: Sequence[int]
    labels: Sequence[LabelSetting] = (LabelSetting(), )
    options: List[str] = field(default_factory=list)
    backbone_files: Dict[str, str] = field(default_factory=dict)
    backbone_after: Dict[str, str] = field(default_factory=dict)
    val_lists: Dict[int, List[str]] = field(default_factory=dict)
    extra: List[str] = field(default_factory=list)
    validate: bool = True  # the configs validate on the test list during training (UCF101: every 5 epochs)
    dry_run: bool = False
    # NAME -> what the cue audit of a backbone rotation-pretrained here reads (set with its pretraining jobs)
    audit_inputs: Dict[str, 'AuditInputs'] = field(default_factory=dict)
    audited: set = field(default_factory=set)

    def jobs_dir(self) -> Path:
        return self.work_dir / 'jobs'


@dataclass(frozen=True)
class AuditInputs:
    """The held-out clips of a rotation pretraining (its validation list, under ``video_root``), their twins with
    the actor as a disc (synthetic data), how many to audit (None: all) and the pretraining's ``--cfg-options``."""
    video_list: str
    video_root: str
    blob_root: Optional[str] = None
    num_videos: Optional[int] = None
    options: Tuple[str, ...] = ()


def is_rotation_config(config: str) -> bool:
    from mmaction.registry import MODELS
    model = MODELS.get(merged_config(config, []).model.get('type', ''))
    return model is not None and issubclass(model, MODELS.get('RotationRecognizer'))


@functools.lru_cache(maxsize=64)
def _merged(path: str, words: Tuple[str, ...]) -> Config:
    cfg = Config.fromfile(path)
    cfg.merge_from_dict(parse_options(words))
    return cfg


def merged_config(path: str, words: Sequence[str]) -> Config:
    """A config with ``--cfg-options`` words applied (a copy: the parsed configs are cached)."""
    return copy.deepcopy(_merged(str(path), tuple(words)))


def count(path: str) -> int:
    return len(read_video_list(path))


def videos_in(*paths: str) -> int:
    """Videos in the first of ``paths`` that exists (a list not written yet in a dry run: its source)."""
    return next((count(p) for p in paths if Path(p).is_file()), 1)


def train_units(cfg: Config, train_videos: Callable[[], int]) -> int:
    """Training iterations of a config (``train_videos()`` is asked only for epoch-based loops)."""
    loop = cfg.train_cfg
    if 'max_iters' in loop:
        return int(loop.max_iters)
    return int(loop.max_epochs) * math.ceil(train_videos() / cfg.train_dataloader.batch_size)


def backbone_options(plan: Plan, name: str) -> List[str]:
    path = plan.backbone_files.get(name)
    if path is None:
        return []
    return [
        'default_hooks.pretrained_backbone.type=PretrainedBackboneHook',
        f'default_hooks.pretrained_backbone.checkpoint={path}'
    ]


def training_list(plan: Plan, data: LabelledSet, split: int, seed: int, label: LabelSetting) -> str:
    train = plan.val_lists[split][0] if split in plan.val_lists else data.lists(split)[0]
    if label.fraction is None and label.samples is None:
        return train
    out = plan.work_dir / 'lists' / data.name / label.name / f'split{split}_seed{seed}.txt'
    if not plan.dry_run:
        label_subset(train, out, seed, label.fraction, label.samples)
    return str(out)


def finetune_jobs(plan: Plan, data: LabelledSet, backbone: Backbone) -> List[Job]:
    """Fine-tune + test jobs of one backbone on one dataset."""
    jobs = []
    name = backbone.name
    after = [plan.backbone_after[name]] if name in plan.backbone_after else []
    for label in plan.labels:
        for split in plan.splits:
            config = data.config_path(split, backbone.architecture, backbone.input, scratch=backbone.is_scratch)
            _, test = data.lists(split)
            val = plan.val_lists[split][1] if split in plan.val_lists else None
            for seed in plan.seeds:
                train = training_list(plan, data, split, seed, label)
                key = f'{data.name}/{name}/{label.name}/split{split}/seed{seed}'
                common = [f'randomness.seed={seed}', *data.data_options(train, test, plan.validate, val), *plan.options]
                cfg = merged_config(config, plan.options + plan.extra)  # the budget, not the lists
                iters = train_units(cfg, lambda: videos_in(train, data.lists(split)[0]))
                train_dir = plan.jobs_dir() / 'finetune' / key
                fine = Job(
                    f'finetune/{key}',
                    'finetune',
                    train_dir,
                    'tools/train.py', [
                        config, '--work-dir',
                        str(train_dir), *([] if plan.validate else ['--no-validate']), '--cfg-options', *common,
                        *SEED_OPTIONS, *backbone_options(plan, name), *plan.extra
                    ],
                    units=iters,
                    after=after,
                    collect=collect_training,
                    resumable=True,
                    label=f'fine-tune {key}',
                    loaders=('train', 'val') if plan.validate else ('train', ))
                test_dir = plan.jobs_dir() / 'test' / key
                checkpoint = Deferred(fine.name, f'{train_dir}/<last checkpoint>', lambda r: [r['checkpoint']])
                batches = math.ceil(videos_in(test) / cfg.test_dataloader.batch_size)
                jobs += [
                    fine,
                    Job(f'test/{key}',
                        'test',
                        test_dir,
                        'tools/test.py',
                        [config, checkpoint, '--work-dir',
                         str(test_dir), '--cfg-options', *common, *plan.extra],
                        units=batches,
                        after=[fine.name],
                        collect=collect_test,
                        label=f'test {key}',
                        loaders=('test', ))
                ]
    return jobs


def frozen_job(plan: Plan, data: LabelledSet, backbone: Backbone) -> Job:
    """Retrieval and linear probe of the frozen backbone on every split (one pass over the videos)."""
    name = backbone.name
    work = plan.jobs_dir() / 'frozen' / data.name / name
    args = [data.config_path(plan.splits[0], backbone.architecture, backbone.input)]
    if name in plan.backbone_files:
        args.append(plan.backbone_files[name])
    for split in plan.splits:
        args += ['--split', *data.lists(split)]
    args += ['--data-root', str(data.video_root), '--work-dir', str(work), '--out', str(work / 'metrics.json')]
    if plan.options:
        args += ['--cfg-options', *plan.options]
    videos = len({e.path for s in plan.splits for f in data.lists(s) if Path(f).is_file() for e in read_video_list(f)})

    def collect(folder: Path) -> Dict:
        import json
        raw = json.loads((folder / 'metrics.json').read_text())
        return {f'split{s}': raw[f'split{i}'] for i, s in enumerate(plan.splits, 1)}

    return Job(
        f'frozen/{data.name}/{name}',
        'frozen',
        work,
        'tools/eval_frozen.py',
        args,
        units=max(1, videos),
        after=[plan.backbone_after[name]] if name in plan.backbone_after else [],
        collect=collect,
        label=f'frozen features {data.name}/{name}',
        loaders=('test', ))


def pretrain_jobs(plan: Plan, backbone: Backbone, finetune_config: str) -> List[Job]:
    """``tools/train.py CONFIG`` with the config's own data (e.g. Kinetics-400), then the export, checked
    against the fine-tuning backbone (the UCF101/HMDB51 presets; the synthetic ones: synthetic.py)."""
    work, out = plan.jobs_dir() / 'pretrain' / backbone.name, plan.work_dir / 'backbones' / f'{backbone.name}.pth'
    cfg = merged_config(backbone.pretrain_config, [])
    units = train_units(cfg, lambda: videos_in(cfg.train_dataloader.dataset.ann_file))
    plan.backbone_files[backbone.name], plan.backbone_after[backbone.name] = str(out), f'export/{backbone.name}'
    held_out = (cfg.get('val_dataloader') or {}).get('dataset') or {}
    options = borders_options(cfg, plan.work_dir / 'data_check' / 'borders.json')
    if held_out.get('ann_file') and is_rotation_config(backbone.pretrain_config):
        plan.audit_inputs[backbone.name] = AuditInputs(
            str(held_out.ann_file), str((held_out.get('data_prefix') or {}).get('video', '')), options=tuple(options))
    return [
        Job(f'pretrain/{backbone.name}',
            'pretrain',
            work,
            'tools/train.py',
            [backbone.pretrain_config, '--work-dir', str(work)] + (['--cfg-options', *options] if options else []),
            units=units,
            collect=collect_training,
            resumable=True,
            label=f'pretrain {backbone.name}'),
        Job(f'export/{backbone.name}',
            'export',
            plan.work_dir / 'backbones' / backbone.name,
            after=[f'pretrain/{backbone.name}'],
            call=lambda results: export_pretrained(work, out, finetune_config, parse_options(plan.options)))
    ]


def borders_options(cfg: Config, bars_file: Path, loaders: Sequence[str] = ('train', 'val')) -> List[str]:
    """``--cfg-options`` words pointing every ``CropBorders`` step of ``cfg``'s ``loaders``' pipelines at
    ``bars_file``: the bars the benchmark's data check measured for every video it checked."""
    words = []
    for loader in (f'{name}_dataloader' for name in loaders):
        pipeline = ((cfg.get(loader) or {}).get('dataset') or {}).get('pipeline') or []
        words += [
            f'{loader}.dataset.pipeline.{i}.bars_file={bars_file}' for i, step in enumerate(pipeline)
            if step.get('type') == 'CropBorders'
        ]
    return words


def audit_job(plan: Plan, data: LabelledSet, backbone: Backbone) -> Optional[Job]:
    """The cue audit (``tools/audit_pretext.py``) of a backbone rotation-pretrained by this benchmark, on its
    pretraining's held-out clips: its rotation accuracy on controls that each keep one cue. One job per backbone
    (the first dataset's turn); a backbone given as a file has no rotation head to audit."""
    name = backbone.name
    inputs = plan.audit_inputs.get(name)
    if inputs is None or name in plan.audited:
        return None
    plan.audited.add(name)
    work = plan.jobs_dir() / 'cue_audit' / name
    pretrain = f'pretrain/{name}'
    args = [
        backbone.pretrain_config,
        Deferred(pretrain, f'{pretrain}/<last checkpoint>', lambda r: [r['checkpoint']]), inputs.video_list,
        '--data-root', inputs.video_root, '--out',
        str(work)
    ]
    if inputs.blob_root:
        args += ['--blob-root', inputs.blob_root]
    if inputs.num_videos:
        args += ['--num-videos', str(inputs.num_videos)]
    if inputs.options:
        args += ['--cfg-options', *inputs.options]
    videos = inputs.num_videos or (videos_in(inputs.video_list) if Path(inputs.video_list).is_file() else 1)

    def collect(folder: Path) -> Dict:
        import json
        found = json.loads((folder / 'audit.json').read_text())
        flat = {f'{control}: top-1': cell['top1'] for control, cell in found['controls'].items()}
        return dict(
            flat,
            controls=found['controls'],
            chance=found['chance'],
            reading=found['reading'],
            picture=str(folder / 'audit.png'))

    return Job(
        f'cue_audit/{name}',
        'cue_audit',
        work,
        'tools/audit_pretext.py',
        args,
        units=max(1, videos),
        after=[pretrain],
        collect=collect,
        label=f'cue audit {name}',
        loaders=())
