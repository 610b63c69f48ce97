"""The synthetic presets: pretraining on the Kinetics-style set, its pretext accuracy (held-out clips and
their actor-free twins), the validation lists that tell each fine-tuning run when it has plateaued, and
the demo's bar.

``demo`` (the demo, ``bash tools/run_demo.sh``): scratch vs 3DRotNet. ``synthetic-shortcuts``: 3DRotNet
pretrained on clips with the shortcuts real video has (letterbox bars on half of them; a logo on all), with and
without the guard that crops them (``CropBorders``). ``synthetic-paper``: the
paper's comparison on the same data -- scratch, 3DRotNet, supervised pretraining with the same backbone
and budget, one random rotation per clip at equal compute, the rotation set {0, 180}, and pretraining
length -- each pretraining variant a config in ``configs/demo/``.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from .backbone_files import Backbone, export_pretrained
from .jobs import Deferred, Job
from .labelled_sets import SYNTHETIC_PRETRAIN, LabelledSet, synthetic_pretraining
from .outputs import collect_test, collect_training
from .plan import AuditInputs, LabelSetting, Plan, merged_config, parse_options
from .subsets import carve_validation

_DEMO = 'configs/demo/{}_r3d18-narrow_{}_synthetic-kinetics-rgb.py'
# row name -> pretraining config. 'rotnet3d' is the demo's pretraining, 1200 steps (its finished jobs are
# reused when the preset runs in the demo's work dir). The ablations run at equal compute with
# 'rotnet3d-800it', 800 steps of 32 clips through the backbone; the length curve adds 200 and 400 steps of the
# same recipe.
_RESIDUAL = SYNTHETIC_PRETRAIN.replace('-rgb.py', '-residual.py')
PAPER_VARIANTS = {
    'rotnet3d': SYNTHETIC_PRETRAIN,
    # what the pretext learns (issue 36): residual frames instead of RGB, and random-resized crops against the
    # position cue; 1200 steps, as the demo's
    'rotnet3d-residual': _RESIDUAL,
    'rotnet3d-rrc': _DEMO.format('rotnet3d-rrc', '1xb8-8x4x1-1200it'),
    'rotnet3d-800it': _DEMO.format('rotnet3d', '1xb8-8x4x1-800it'),
    'supervised': _DEMO.format('supervised', '1xb32-8x4x1-800it'),
    'rotnet3d-1rot': _DEMO.format('rotnet3d-1rot', '1xb32-8x4x1-800it'),
    'rotnet3d-0-180deg': _DEMO.format('rotnet3d-0-180deg', '1xb16-8x4x1-800it'),
    'rotnet3d-200it': _DEMO.format('rotnet3d', '1xb8-8x4x1-200it'),
    'rotnet3d-400it': _DEMO.format('rotnet3d', '1xb8-8x4x1-400it'),
    # the spread between pretraining runs, which the fine-tuning seeds do not show: the same pretraining, seed 1
    'rotnet3d-pretrain-seed1': SYNTHETIC_PRETRAIN,
    'rotnet3d-residual-pretrain-seed1': _RESIDUAL,
}
# row -> its pretraining's --cfg-options: each replaces the preset's word for the same key
PAPER_PRETRAIN_OPTIONS = {
    'rotnet3d-pretrain-seed1': ['randomness.seed=1'],
    'rotnet3d-residual-pretrain-seed1': ['randomness.seed=1'],
}

_GUARDED = _DEMO.format('rotnet3d-crop-borders', '1xb8-8x4x1-1200it')
# row name -> (pretraining config, the shortcut its pretraining clips carry); fine-tuned on the clean UCF-style set
SHORTCUT_VARIANTS = {
    'rotnet3d-bars': (SYNTHETIC_PRETRAIN, 'bars'),
    'rotnet3d-bars-guard': (_GUARDED, 'bars'),
    'rotnet3d-logo': (SYNTHETIC_PRETRAIN, 'logo'),
    'rotnet3d-logo-guard': (_GUARDED, 'logo'),
}
# row -> the row it is read against, paired by split and seed: what the shortcut costs is the unguarded row
# against its guarded twin
SHORTCUT_REFERENCES = {'rotnet3d-bars': 'rotnet3d-bars-guard', 'rotnet3d-logo': 'rotnet3d-logo-guard'}
# shortcut -> the generator's parameters for it (``prepare_synthetic``): bars on half of the pretraining clips
SHORTCUTS = dict(bars=dict(bars=0.5), logo=dict(logo=True))


def shortcut_root(root: str, shortcut: str) -> str:
    """Where the synthetic set with ``shortcut`` in its pretraining clips lies: beside ``root``."""
    return f'{str(root).rstrip("/")}-{shortcut}'


@dataclass
class Sizes:
    """The synthetic benchmark's sizes: data, and (for smoke runs) the step budgets; None keeps the configs'."""
    pretrain_clips: int = 4000
    clips_per_class: int = 48
    groups: int = 24
    pretrain_iters: Optional[int] = None  # None: each pretraining config's own
    finetune_iters: Optional[int] = None  # None: the fine-tuning config's cap (it stops earlier on a plateau)
    val_interval: Optional[int] = None  # None: the fine-tuning config's
    audit_videos: Optional[int] = None  # held-out clips the cue audit reads (None: all)


# Demo sizes, measured on 2 cores (docs/benchmark.md). 48 labelled clips per class in 24 UCF-style groups
# (2 clips each; UCF101 has 25): a split trains on 16 groups and tests on 8 unseen ones; with only a few
# groups a from-scratch network memorises each group's scene instead of the action.
DEMO = Sizes(audit_videos=200)
# Smoke sizes: every stage at a few steps (tests, CI); the numbers mean nothing.
TINY = Sizes(pretrain_clips=24, clips_per_class=3, groups=3, pretrain_iters=4, finetune_iters=4, val_interval=2)


def iteration_options(iters: int) -> List[str]:
    """A pretraining budget of ``iters`` steps for the demo configs (linear warm-up over the first tenth,
    then cosine), validated once at the end."""
    warmup = max(1, iters // 10)
    return [
        f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}', f'param_scheduler.0.end={warmup}',
        f'param_scheduler.1.begin={warmup}', f'param_scheduler.1.end={iters}'
    ]


def finetune_options(sizes: Sizes) -> List[str]:
    """``--cfg-options`` words of every fine-tuning and test job: a smoke run's step cap and validation
    interval (nothing at demo size: the config's own)."""
    words = []
    if sizes.finetune_iters:
        words.append(f'train_cfg.max_iters={sizes.finetune_iters}')
    if sizes.val_interval:
        words.append(f'train_cfg.val_interval={sizes.val_interval}')
    return words


def validation_lists(plan: Plan, data: LabelledSet) -> Dict[int, List[str]]:
    """Per split, its training list carved by group into (training, validation) lists: each fine-tuning run
    trains on the first and watches the second to stop when it plateaus. The test list is never read."""
    out = {}
    for split in plan.splits:
        folder = plan.work_dir / 'lists' / 'validation' / f'split{split}'
        train, val = str(folder / 'train.txt'), str(folder / 'val.txt')
        if not plan.dry_run:
            carve_validation(data.lists(split)[0], folder)
        out[split] = [train, val]
    return out


def pretrain_jobs(plan: Plan,
                  backbone: Backbone,
                  data_root: str,
                  finetune_config: str,
                  sizes: Sizes,
                  seed: int,
                  with_actor_free: bool = True) -> List[Job]:
    """Pretraining (validated once at its end on all held-out clips), export, and the pretext accuracy
    on the held-out clips' actor-free twins (must be chance: the actor is the only orientation cue)."""
    name, config = backbone.name, backbone.pretrain_config
    kin = synthetic_pretraining(data_root)
    data = [
        f'{loader}_dataloader.dataset.{key}={value}' for loader, lst in (('train', kin['train']), ('val', kin['val']))
        for key, value in (('ann_file', lst), ('data_prefix.video', kin['videos']))
    ]
    budget = iteration_options(sizes.pretrain_iters) if sizes.pretrain_iters else []
    own = {word.split('=', 1)[0] for word in backbone.pretrain_options}  # the row's words replace the preset's
    options = [w for w in (f'randomness.seed={seed}', *data, *budget) if w.split('=', 1)[0] not in own]
    options += backbone.pretrain_options
    iters = int(merged_config(config, options).train_cfg.max_iters)
    work = plan.jobs_dir() / 'pretrain' / name
    out = plan.work_dir / 'backbones' / f'{name}.pth'
    jobs = [
        Job(f'pretrain/{name}',
            'pretrain',
            work,
            'tools/train.py', [config, '--work-dir', str(work), '--cfg-options', *options],
            units=iters,
            collect=collect_training,
            label=f'pretrain {name}'),
        Job(f'export/{name}',
            'export',
            plan.work_dir / 'backbones' / name,
            after=[f'pretrain/{name}'],
            call=lambda results: export_pretrained(work, out, finetune_config, parse_options(plan.options)))
    ]
    if with_actor_free:
        test_dir = plan.jobs_dir() / 'pretext' / name
        jobs.append(
            Job(f'pretext/{name}',
                'pretext',
                test_dir,
                'tools/test.py', [
                    config,
                    Deferred(f'pretrain/{name}', f'{work}/<last checkpoint>',
                             lambda r: [r['checkpoint']]), '--work-dir',
                    str(test_dir), '--cfg-options', f'test_dataloader.dataset.ann_file={kin["val"]}',
                    f'test_dataloader.dataset.data_prefix.video={kin["actor_free"]}', *options
                ],
                units=25,
                after=[f'pretrain/{name}'],
                collect=collect_test,
                label=f'actor-free pretext accuracy {name}',
                loaders=('test', )))
    plan.backbone_files[name] = str(out)
    plan.backbone_after[name] = f'export/{name}'
    plan.audit_inputs[name] = AuditInputs(kin['val'], kin['videos'], kin['actor_blob'], sizes.audit_videos,
                                          tuple(options))
    return jobs


ACTOR_SHARE_STAGES = ('layer3', 'layer4')
ACTOR_SHARE_VIDEOS = 96


def actor_share_job(plan: Plan, data: LabelledSet, backbone: Backbone) -> Optional[Job]:
    """Does the network look at the actor? The share of each stage's (normalised, channel-summed) activation
    on the actor's pixels vs the actor's share of the frame, on split 1's test videos (one centre clip
    each), for the random init, the pretrained backbone and the fine-tuned network of split 1 (first
    seed, all labels). Synthetic sets only: their generator knows where the actor is."""
    if data.name != 'synthetic':
        return None
    name, split, seed = backbone.name, plan.splits[0], plan.seeds[0]
    fine = f'finetune/{data.name}/{name}/{LabelSetting().name}/split{split}/seed{seed}'
    work = plan.jobs_dir() / 'actor_share' / data.name / name
    args = [
        data.config_path(split, backbone.architecture, backbone.input),
        data.lists(split)[1], '--data-root',
        str(data.video_root), '--num-videos',
        str(ACTOR_SHARE_VIDEOS), '--stages', *ACTOR_SHARE_STAGES, '--out',
        str(work / 'share.json')
    ]
    if name in plan.backbone_files:
        args += ['--backbone', f'pretrained={plan.backbone_files[name]}']
    args += [
        '--backbone',
        Deferred(fine, f'fine-tuned={fine}/<last checkpoint>', lambda r: [f'fine-tuned={r["checkpoint"]}'])
    ]
    if plan.options:
        args += ['--cfg-options', *plan.options]

    def collect(folder: Path) -> Dict:
        import json
        measured = json.loads((folder / 'share.json').read_text())['results']
        out = {}
        for who, stages in measured.items():
            for stage in ACTOR_SHARE_STAGES:
                cell = stages[stage]['normalized']
                out[f'{who}: {stage} share'] = cell['actor_share']
                out['actor area'] = cell['area_share']
        return out

    return Job(
        f'actor_share/{data.name}/{name}',
        'actor_share',
        work,
        'tools/actor_share.py',
        args,
        units=1,
        after=[fine] + ([plan.backbone_after[name]] if name in plan.backbone_after else []),
        collect=collect,
        label=f'actor share {name}',
        loaders=())


# The demo's bar (results.json ``bar``): both arms trained, the pretext learnt from the actor alone,
# and the pretrained backbone ahead in fine-tuning and in its frozen features.
SCRATCH_TRAINED = 0.35  # mean fine-tuned top-1 of the baseline arm (chance 1/12)
FINETUNE_GAIN = 0.05
FROZEN_GAIN = 0.10  # linear probe and R@1, over the random init
PRETEXT_LEARNT = 0.80  # rotation top-1 on the held-out clips
ACTOR_FREE_MAX = 0.35  # rotation top-1 on their actor-free twins (chance 0.25)
# A result at a threshold meets it: accuracies are ratios of counts, and a gain is their float difference,
# which can land a hair under the threshold it equals (0.45 - 0.40 < 0.05).
_ROUNDING = 1e-9


def _at_least(value: float, threshold: float) -> bool:
    return value >= threshold - _ROUNDING


def check_bar(finetune: Dict,
              frozen: Dict,
              pretraining: Dict,
              baseline: str = 'scratch',
              method: str = 'rotnet3d') -> Dict:
    """The demo's bar from its results tables (``results.json``'s ``finetune``/``frozen``/``pretraining``
    of the synthetic set): fine-tuned top-1 is the mean over splits and seeds, probe and R@1 the mean over
    splits; the pretext's accuracy is ``rotation/top1`` of ``method``'s pretraining."""
    top1 = {b: finetune[b]['full']['summary']['top1']['mean'] for b in (baseline, method)}
    probe = {b: frozen[b]['summary']['linear_probe_top1']['mean'] for b in (baseline, method)}
    r1 = {b: frozen[b]['summary']['retrieval_R_at_1']['mean'] for b in (baseline, method)}
    pretext = pretraining[method]
    held_out = (pretext.get('held_out') or {}).get('rotation/top1', 0.0)
    actor_free = (pretext.get('actor_free') or {}).get('rotation/top1', 1.0)
    gains = dict(
        finetune_gain=top1[method] - top1[baseline],
        linear_probe_gain=probe[method] - probe[baseline],
        retrieval_r1_gain=r1[method] - r1[baseline])
    checks = dict(
        scratch_trained_35pct=_at_least(top1[baseline], SCRATCH_TRAINED),
        finetune_gain_5pts=_at_least(gains['finetune_gain'], FINETUNE_GAIN),
        linear_probe_gain_10pts=_at_least(gains['linear_probe_gain'], FROZEN_GAIN),
        retrieval_r1_gain_10pts=_at_least(gains['retrieval_r1_gain'], FROZEN_GAIN),
        pretext_held_out_80pct=_at_least(held_out, PRETEXT_LEARNT),
        pretext_actor_free_35pct=_at_least(ACTOR_FREE_MAX, actor_free))
    return dict(
        checks=checks,
        met=all(checks.values()),
        scratch_top1=top1[baseline],
        pretext_held_out=held_out,
        pretext_actor_free=actor_free,
        **gains)
