"""The benchmark protocol, run through MMEngine ``Runner`` s built from config files.

1. pretrain by rotation prediction (once), export the backbone, and measure the pretext's accuracy
   on held-out clips (per angle) and on actor-free control clips (must be chance);
2. per arm (``scratch``, ``pretrained``): choose the fine-tuning recipe on a validation split
   carved *by group* from split 1's training list (never the test list); both arms try the same
   number of recipes with the same step budget;
3. fine-tune every split x seed with the chosen recipe and test with the multi-clip protocol;
4. judge the frozen backbones (random init vs pretrained): nearest-neighbour retrieval and a
   linear probe;
5. aggregate mean +- std, write ``results.json`` and a figure.
"""
import copy
import json
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.config import Config
from mmengine.hooks import Hook

from ..datasets.video_list import read_video_list, write_video_list
from ..models.backbone_io import export_backbone
from ..utils.shipped_files import shipped_path


# ---------------------------------------------------------------- what to run


@dataclass
class DatasetSpec:
    """Where the data of one benchmark lies (MMAction2 video lists + video roots)."""
    name: str
    pretrain_train: str                  # unlabeled pretraining list (labels ignored)
    pretrain_val: str                    # held-out clips for the pretext's accuracy
    pretrain_root: str
    labeled_root: str
    splits: Dict[int, Tuple[str, str]]   # split -> (train list, test list)
    num_classes: int
    actor_free_root: Optional[str] = None  # videos listed by pretrain_val, without actor (controls)


@dataclass
class Recipe:
    """A fine-tuning recipe: the head's lr and ``lr * backbone_lr_mult`` for the backbone, with the
    optimizer (``'AdamW'``, or ``'SGD'`` with Nesterov momentum 0.9 like the paper's fine-tuning) and
    its weight decay (``None``: the config's)."""
    lr: float
    backbone_lr_mult: float = 1.0
    optimizer: str = 'AdamW'
    weight_decay: Optional[float] = None

    def name(self) -> str:
        opt = '' if self.optimizer == 'AdamW' else self.optimizer.lower() + '_'
        wd = '' if self.weight_decay is None else f'_wd{self.weight_decay:g}'
        return f'{opt}lr{self.lr:g}_bb{self.backbone_lr_mult:g}{wd}'

    def optimizer_cfg(self, base: Dict) -> Dict:
        if self.optimizer == 'AdamW':
            opt = dict(base) if base.get('type') == 'AdamW' else dict(type='AdamW', weight_decay=1e-2)
        elif self.optimizer == 'SGD':
            opt = dict(type='SGD', momentum=0.9, nesterov=True, weight_decay=5e-4)
        else:
            raise ValueError(f'unknown optimizer {self.optimizer!r}')
        opt['lr'] = self.lr
        if self.weight_decay is not None:
            opt['weight_decay'] = self.weight_decay
        return opt


def default_recipes() -> Dict[str, List[Recipe]]:
    # The same number of candidates (and steps) per arm; the pretrained arm may keep its features
    # with a lower backbone lr, the scratch arm may need a different lr.
    # Three AdamW candidates each; scratch gets the wider lr range (it needs a higher lr to learn in the budget).
    return dict(scratch=[Recipe(1e-3, 1.0), Recipe(3e-3, 1.0), Recipe(1e-2, 1.0)],
                pretrained=[Recipe(3e-3, 0.1), Recipe(1e-3, 1.0), Recipe(3e-3, 1.0)])


@dataclass
class Settings:
    work_dir: str = 'work_dirs/demo'
    pretrain_config: str = field(default_factory=lambda: str(shipped_path(
        'configs/demo/rotnet3d_r3d18-narrow_1xb8-16x2x1-1200it_synthetic-kinetics-rgb.py')))
    finetune_config: str = field(default_factory=lambda: str(shipped_path(
        'configs/demo/r3d18-narrow_1xb8-16x2x1-300it_synthetic-ucf-split1-rgb.py')))
    pretrain_iters: int = 1200
    pretrain_val_every: int = 200
    pretrain_val_clips: int = 96        # clips for the periodic validation (the final one uses all)
    finetune_iters: int = 300
    select_iters: int = 300
    batch_size: int = 8
    splits: Sequence[int] = (1, 2, 3)
    seeds: Sequence[int] = (0, )
    frozen_splits: Sequence[int] = (1, )
    test_clips: int = 10
    recipes: Dict[str, List[Recipe]] = field(default_factory=default_recipes)
    arms: Sequence[str] = ('scratch', 'pretrained')
    label: str = 'demo'
    log_interval: int = 20
    quiet_runners: bool = True          # MMEngine logs at WARNING for the many short runs
    loader_workers: int = 0             # training-loader processes (decoding beside the training thread)


# ---------------------------------------------------------------- progress


class Stages:
    """``[demo 3/6] fine-tuning ...`` banners with elapsed wall time."""

    def __init__(self, label: str, names: Sequence[str]):
        self.label, self.names, self.start = label, list(names), time.monotonic()
        self.current = ''

    def enter(self, name: str, detail: str = '') -> str:
        i = self.names.index(name) + 1
        self.current = f'[{self.label} {i}/{len(self.names)}] {name}'
        self.say(detail)
        return self.current

    def say(self, detail: str = '') -> None:
        t = time.monotonic() - self.start
        sys.stderr.write(f'{self.current}{": " + detail if detail else ""}  (t={t / 60:.1f} min)\n')
        sys.stderr.flush()


class CurveHook(Hook):
    """Records the training loss per iteration and prints a one-line banner every ``interval``."""
    priority = 'LOW'

    def __init__(self, banner: str, interval: int = 50):
        self.banner, self.interval = banner, interval
        self.iters: List[int] = []
        self.losses: List[float] = []
        self.start = time.monotonic()

    def before_train(self, runner) -> None:
        self.start = time.monotonic()

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        it = runner.iter + 1
        if isinstance(outputs, dict) and 'loss' in outputs:
            self.iters.append(it)
            self.losses.append(float(outputs['loss'].detach()) if hasattr(outputs['loss'], 'detach')
                               else float(outputs['loss']))
        if it % self.interval == 0 or it == runner.max_iters:
            el = time.monotonic() - self.start
            recent = self.losses[-self.interval:]
            loss = f' loss {np.mean(recent):.3f}' if recent else ''
            sys.stderr.write(f'{self.banner}: iter {it}/{runner.max_iters}{loss}  '
                             f'{el:.0f}s, eta {el / it * (runner.max_iters - it):.0f}s\n')
            sys.stderr.flush()


# ---------------------------------------------------------------- runner helpers


def _dataset(ann_file: str, root: str, pipeline, indices=None, test_mode=False) -> Dict:
    ds = dict(type='VideoDataset', ann_file=ann_file, data_prefix=dict(video=root), pipeline=pipeline,
              test_mode=test_mode)
    if indices is not None:
        ds['indices'] = indices
    return ds


def _loader(dataset: Dict, batch_size: int, train: bool, workers: int = 0) -> Dict:
    # ``workers`` > 0 decodes the training clips in background processes (one core decodes while the
    # other trains); MMEngine seeds each worker from the run's seed, so runs stay reproducible.
    return dict(batch_size=batch_size, num_workers=workers, persistent_workers=train and workers > 0, dataset=dataset,
                sampler=dict(type='InfiniteSampler' if train else 'DefaultSampler', shuffle=train))


def _cosine(iters: int, warmup: int) -> List[Dict]:
    warmup = max(1, min(warmup, iters // 2))
    return [dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=warmup),
            dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup, end=max(iters, warmup + 1), eta_min=1e-6)]


_RUNS = [0]


def _base_cfg(path: str, work_dir: Path, seed: int, settings: Settings) -> Config:
    cfg = Config.fromfile(str(path))
    cfg.work_dir = str(work_dir)
    _RUNS[0] += 1  # unique logger/visualizer instance names for the many runners of one process
    cfg.experiment_name = f'{settings.label}_{_RUNS[0]:03d}_{time.strftime("%Y%m%d_%H%M%S")}'
    cfg.randomness = dict(seed=seed, deterministic=False)
    cfg.default_hooks.logger.interval = settings.log_interval
    if settings.quiet_runners:
        cfg.log_level = 'WARNING'
    return cfg


def _build_runner(cfg: Config):
    from mmengine.runner import Runner
    return Runner.from_cfg(cfg)


def _evaluate(runner, dataloader: Dict, evaluator) -> Dict[str, float]:
    """Run a test loop over ``dataloader`` on a (trained) runner's model."""
    from mmengine.runner import TestLoop
    return TestLoop(runner, dataloader, evaluator).run()


def _with_clips(pipeline: List[Dict], num_clips: int) -> List[Dict]:
    pipeline = copy.deepcopy(pipeline)
    for t in pipeline:
        if t['type'] == 'SampleFrames':
            t['num_clips'] = num_clips
    return pipeline


# ---------------------------------------------------------------- stages


def pretrain(spec: DatasetSpec, s: Settings, out: Path, banner: str, seed: int = 0) -> Dict:
    """Rotation pretraining; returns curves, the pretext's accuracies and the backbone path."""
    cfg = _base_cfg(s.pretrain_config, out, seed, s)
    if not s.quiet_runners:
        cfg.log_level = 'INFO'
    cfg.train_dataloader = _loader(_dataset(spec.pretrain_train, spec.pretrain_root, cfg.train_pipeline),
                                   s.batch_size, True, s.loader_workers)
    val_n = min(s.pretrain_val_clips, _count(spec.pretrain_val))
    cfg.val_dataloader = _loader(_dataset(spec.pretrain_val, spec.pretrain_root, cfg.val_pipeline,
                                          indices=list(range(val_n)), test_mode=True), 16, False)
    cfg.test_dataloader = cfg.val_dataloader
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=s.pretrain_iters,
                         val_interval=max(1, min(s.pretrain_val_every, s.pretrain_iters)))
    cfg.param_scheduler = _cosine(s.pretrain_iters, 50)
    runner = _build_runner(cfg)
    curve = CurveHook(banner, interval=max(1, min(50, s.pretrain_iters // 10)))
    val_curve = ValCurveHook()
    runner.register_hook(curve)
    runner.register_hook(val_curve)
    t0 = time.monotonic()
    runner.train()
    train_s = time.monotonic() - t0
    backbone = out / 'backbone.pth'
    export_backbone(runner.model, backbone)
    sys.stderr.write(f'{banner}: rotation accuracy on all {_count(spec.pretrain_val)} held-out clips\n')
    evaluator = dict(type='RotationAccuracy')
    held_out = _evaluate(runner, _loader(_dataset(spec.pretrain_val, spec.pretrain_root, cfg.val_pipeline,
                                                  test_mode=True), 16, False), evaluator)
    result = dict(backbone=str(backbone), train_seconds=train_s, iters=s.pretrain_iters,
                  clips_seen=s.pretrain_iters * s.batch_size, loss_curve=dict(iter=curve.iters, loss=curve.losses),
                  val_curve=val_curve.history, rotation_held_out=_strip(held_out))
    if spec.actor_free_root:
        sys.stderr.write(f'{banner}: rotation accuracy on actor-free control clips (chance 25%)\n')
        free = _evaluate(runner, _loader(_dataset(spec.pretrain_val, spec.actor_free_root, cfg.val_pipeline,
                                                  test_mode=True), 16, False), evaluator)
        result['rotation_actor_free'] = _strip(free)
    return result


class ValCurveHook(Hook):
    priority = 'LOW'

    def __init__(self):
        self.history: List[Dict] = []

    def after_val_epoch(self, runner, metrics=None) -> None:
        if metrics:
            self.history.append(dict(iter=runner.iter, **_strip(metrics)))


def _strip(metrics: Dict) -> Dict[str, float]:
    return {k.split('/')[-1]: float(v) for k, v in metrics.items()}


def _count(ann_file: str) -> int:
    with open(ann_file) as f:
        return sum(1 for line in f if line.strip())


def finetune(spec: DatasetSpec, s: Settings, train_list: str, eval_list: str, recipe: Recipe, iters: int,
             out: Path, seed: int, backbone: Optional[str], banner: str, multi_clip: bool) -> Dict:
    """Fine-tune (``backbone`` = pretrained weights, or None for scratch) and evaluate on ``eval_list``."""
    cfg = _base_cfg(s.finetune_config, out, seed, s)
    cfg.model.cls_head.num_classes = spec.num_classes
    cfg.train_dataloader = _loader(_dataset(train_list, spec.labeled_root, cfg.train_pipeline), s.batch_size, True,
                                   s.loader_workers)
    cfg.val_dataloader = _loader(_dataset(eval_list, spec.labeled_root, cfg.val_pipeline, test_mode=True), 16, False)
    cfg.test_dataloader = cfg.val_dataloader
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=iters, val_interval=iters + 1)
    cfg.optim_wrapper.optimizer = recipe.optimizer_cfg(dict(cfg.optim_wrapper.optimizer))
    cfg.optim_wrapper.paramwise_cfg = dict(custom_keys=dict(backbone=dict(lr_mult=recipe.backbone_lr_mult)))
    cfg.param_scheduler = _cosine(iters, max(10, iters // 10))
    if backbone:
        cfg.default_hooks.pretrained_backbone = dict(type='PretrainedBackboneHook', checkpoint=backbone)
    runner = _build_runner(cfg)
    curve = CurveHook(banner, interval=max(1, min(100, iters // 3)))
    runner.register_hook(curve)
    t0 = time.monotonic()
    runner.train()
    train_s = time.monotonic() - t0
    evaluator = dict(type='AccMetric')
    if multi_clip:
        loader = _loader(_dataset(eval_list, spec.labeled_root, _with_clips(cfg.test_pipeline, s.test_clips),
                                  test_mode=True), 4, False, s.loader_workers)
    else:
        loader = cfg.val_dataloader
    t0 = time.monotonic()
    metrics = _strip(_evaluate(runner, loader, evaluator))
    return dict(recipe=asdict(recipe), seed=seed, iters=iters, train_seconds=train_s,
                test_seconds=time.monotonic() - t0, top1=metrics.get('top1'), top5=metrics.get('top5'),
                mean_class_acc=metrics.get('mean1'), loss_curve=dict(iter=curve.iters, loss=curve.losses))


def carve_validation(train_list: str, out_dir: Path, fraction: float = 0.25) -> Tuple[str, str]:
    """Split a training list into (sub-train, validation) by *group* when names carry UCF101's
    ``_gXX_`` (so the validation actors/scenes are unseen, like the test split), otherwise by
    interleaved index per class. Never touches the test list."""
    entries = read_video_list(train_list)
    groups = [re.search(r'_g(\d+)_', e.path) for e in entries]
    if all(groups):
        ids = sorted({int(g.group(1)) for g in groups})
        n_val = max(1, int(round(len(ids) * fraction)))
        val_ids = set(ids[-n_val:])
        is_val = [int(g.group(1)) in val_ids for g in groups]
    else:
        per_class: Dict[str, int] = {}
        is_val = []
        every = max(2, int(round(1 / fraction)))
        for e in entries:
            label = str(e.label)
            per_class[label] = per_class.get(label, 0) + 1
            is_val.append(per_class[label] % every == 0)
    out_dir.mkdir(parents=True, exist_ok=True)
    sub, val = out_dir / 'select_train.txt', out_dir / 'select_val.txt'
    write_video_list(sub, [e for e, v in zip(entries, is_val) if not v])
    write_video_list(val, [e for e, v in zip(entries, is_val) if v])
    return str(sub), str(val)


def frozen_eval(spec: DatasetSpec, s: Settings, split: int, backbone: Optional[str], out: Path, seed: int) -> Dict:
    """Retrieval R@k and linear probe of a frozen backbone (``None`` = random init) on ``split``."""
    cfg = _base_cfg(s.finetune_config, out, seed, s)
    train_list, test_list = spec.splits[split]
    pipeline = _with_clips(cfg.test_pipeline, s.test_clips)
    return frozen_eval_cfg(cfg, train_list, test_list, spec.labeled_root, pipeline, backbone)


def frozen_eval_cfg(cfg: Config, train_list: str, test_list: str, root: str, pipeline: List[Dict],
                    backbone: Optional[str]) -> Dict:
    """Shared by the protocol and ``tools/eval_frozen.py``: any config whose model has a backbone."""
    model = cfg.model
    cfg.model = dict(type='FeatureExtractor', backbone=model['backbone'], neck=model.get('neck'),
                     data_preprocessor=model.get('data_preprocessor'), checkpoint=backbone)
    for t in pipeline:
        if t['type'] == 'PackActionInputs':
            keys = tuple(t.get('meta_keys', ('img_shape', )))
            t['meta_keys'] = keys if 'filename' in keys else keys + ('filename', )
    cfg.test_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                               sampler=dict(type='DefaultSampler', shuffle=False),
                               dataset=dict(type='ConcatDataset', datasets=[
                                   _dataset(train_list, root, pipeline, test_mode=True),
                                   _dataset(test_list, root, pipeline, test_mode=True)]))
    cfg.test_evaluator = dict(type='FrozenFeatureMetric', gallery_ann_file=train_list, data_prefix=root)
    cfg.test_cfg = dict(type='TestLoop')
    for key in ('train_dataloader', 'train_cfg', 'optim_wrapper', 'param_scheduler', 'val_dataloader', 'val_cfg',
                'val_evaluator'):
        cfg[key] = None
    cfg.default_hooks.pop('pretrained_backbone', None)
    cfg.load_from = None
    runner = _build_runner(cfg)
    # Runner.test() does not initialise weights: do it here (random init, then the strict backbone load).
    runner.model.init_weights()
    return _strip(runner.test())


# ---------------------------------------------------------------- the whole protocol


def mean_std(values: Sequence[float]) -> Dict[str, float]:
    v = np.asarray([x for x in values if x is not None], dtype=float)
    if v.size == 0:
        return dict(mean=float('nan'), std=float('nan'), n=0)
    return dict(mean=float(v.mean()), std=float(v.std(ddof=1)) if v.size > 1 else 0.0, n=int(v.size))


def run_protocol(spec: DatasetSpec, s: Settings, prepare: Optional[Callable[[Stages], Dict]] = None) -> Dict:
    """Run everything; returns the results dict (also written to ``<work_dir>/results.json``)."""
    from .report import print_table, write_figure
    work = Path(s.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    names = ['data', 'pretraining', 'recipe selection', 'fine-tuning', 'frozen features', 'report']
    st = Stages(s.label, names)
    t_start = time.monotonic()
    results: Dict = dict(dataset=spec.name, settings=_settings_dict(s), stage_seconds={})

    def timed(name, fn):
        t0 = time.monotonic()
        out = fn()
        results['stage_seconds'][name] = time.monotonic() - t0
        return out

    st.enter('data')
    results['data'] = timed('data', lambda: prepare(st) if prepare else {})

    banner = st.enter('pretraining', f'{s.pretrain_iters} iters x {s.batch_size} clips x 4 rotations')
    pre = timed('pretraining', lambda: pretrain(spec, s, work / 'pretrain', banner, seed=s.seeds[0]))
    results['pretrain'] = pre
    st.say(f"rotation acc held-out {pre['rotation_held_out']['top1'] * 100:.1f}%" +
           (f", actor-free {pre['rotation_actor_free']['top1'] * 100:.1f}% (chance 25%)"
            if 'rotation_actor_free' in pre else ''))
    backbones = dict(scratch=None, pretrained=pre['backbone'])

    # Recipe selection on a validation split carved from split 1's training list.
    banner = st.enter('recipe selection')
    sel_split = s.splits[0]
    sub_train, sub_val = carve_validation(spec.splits[sel_split][0], work / 'select')
    selection: Dict[str, Dict] = {}

    def select():
        for arm in s.arms:
            scores = []
            for recipe in s.recipes[arm]:
                r = finetune(spec, s, sub_train, sub_val, recipe, s.select_iters,
                             work / 'select' / arm / recipe.name(), s.seeds[0], backbones[arm],
                             f'{banner}: {arm} {recipe.name()}', multi_clip=False)
                scores.append(r)
                st.say(f'{arm} {recipe.name()}: val top1 {r["top1"] * 100:.1f}%')
            best = max(range(len(scores)), key=lambda i: (scores[i]['top1'], -i))
            selection[arm] = dict(candidates=scores, chosen=asdict(s.recipes[arm][best]),
                                  split=sel_split, train_list=sub_train, val_list=sub_val)
    timed('recipe selection', select)
    results['selection'] = selection

    banner = st.enter('fine-tuning', f'{len(s.splits)} splits x {len(s.seeds)} seeds x {len(s.arms)} arms, '
                      f'{s.finetune_iters} iters each, {s.test_clips}-clip test')
    runs: Dict[str, List[Dict]] = {arm: [] for arm in s.arms}

    def fine():
        for split in s.splits:
            for seed in s.seeds:
                for arm in s.arms:
                    recipe = Recipe(**selection[arm]['chosen'])
                    train_list, test_list = spec.splits[split]
                    r = finetune(spec, s, train_list, test_list, recipe, s.finetune_iters,
                                 work / 'finetune' / f'split{split}' / f'seed{seed}' / arm, seed, backbones[arm],
                                 f'{banner}: split {split} seed {seed} {arm}', multi_clip=True)
                    r['split'] = split
                    runs[arm].append(r)
                    st.say(f'split {split} seed {seed} {arm}: test top1 {r["top1"] * 100:.1f}%')
    timed('fine-tuning', fine)
    results['finetune'] = dict(runs=runs, summary={
        arm: {m: mean_std([r[m] for r in runs[arm]]) for m in ('top1', 'top5', 'mean_class_acc')}
        for arm in s.arms})
    per_split = {}
    for arm in s.arms:
        per_split[arm] = {str(sp): mean_std([r['top1'] for r in runs[arm] if r['split'] == sp])['mean']
                          for sp in s.splits}
    results['finetune']['per_split_top1'] = per_split

    st.enter('frozen features', 'retrieval and linear probe, random init vs pretrained')
    frozen: Dict[str, Dict] = {}

    def froz():
        for arm, bb in (('random_init', None), ('pretrained', pre['backbone'])):
            runs_f = [frozen_eval(spec, s, split, bb, work / 'frozen' / arm / f'split{split}', s.seeds[0])
                      for split in s.frozen_splits]
            frozen[arm] = dict(runs=runs_f, summary={k: mean_std([r[k] for r in runs_f]) for k in runs_f[0]
                                                     if k.startswith(('retrieval', 'linear_probe_top1'))})
            st.say(f"{arm}: R@1 {frozen[arm]['summary']['retrieval_R_at_1']['mean'] * 100:.1f}%, "
                   f"linear probe {frozen[arm]['summary']['linear_probe_top1']['mean'] * 100:.1f}%")
    timed('frozen features', froz)
    results['frozen'] = frozen

    st.enter('report')
    results['total_seconds'] = time.monotonic() - t_start
    results['bar'] = check_bar(results, spec.num_classes)
    (work / 'results.json').write_text(json.dumps(results, indent=1))
    fig = write_figure(results, work / 'results.png')
    results['figure'] = str(fig)
    (work / 'results.json').write_text(json.dumps(results, indent=1))
    print_table(results)
    sys.stderr.write(f'[{s.label}] wrote {work / "results.json"} and {fig}\n')
    return results


def check_bar(results: Dict, num_classes: int) -> Dict:
    """The issue's bar: scratch above chance, pretrained >= scratch + 5 top-1 points (mean over splits),
    linear probe and R@1 of pretrained features >= random init + 10 points."""
    ft = results['finetune']['summary']
    chance = 1.0 / num_classes
    scr, pre = ft['scratch']['top1']['mean'], ft['pretrained']['top1']['mean']
    fz = results['frozen']
    probe_gain = fz['pretrained']['summary']['linear_probe_top1']['mean'] - \
        fz['random_init']['summary']['linear_probe_top1']['mean']
    r1_gain = fz['pretrained']['summary']['retrieval_R_at_1']['mean'] - \
        fz['random_init']['summary']['retrieval_R_at_1']['mean']
    checks = dict(scratch_above_chance=scr > 2 * chance, finetune_gain_5pts=(pre - scr) >= 0.05,
                  linear_probe_gain_10pts=probe_gain >= 0.10, retrieval_r1_gain_10pts=r1_gain >= 0.10)
    return dict(checks=checks, met=all(checks.values()), chance=chance, finetune_gain=pre - scr,
                linear_probe_gain=probe_gain, retrieval_r1_gain=r1_gain)


def _settings_dict(s: Settings) -> Dict:
    d = asdict(s)
    d['recipes'] = {arm: [asdict(r) for r in rs] for arm, rs in s.recipes.items()}
    return d
