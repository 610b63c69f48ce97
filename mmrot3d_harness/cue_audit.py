"""Which cues does a rotation model use? Its rotation accuracy on the clips as they are and on controls that each
keep one cue (``mmrot3d.datasets.transforms.cue_controls``), with bootstrap intervals over videos.

Every video is decoded and cropped once by its config's own test pipeline, up to its residual frames, rotation or
``FormatShape`` (whichever comes first); each control then changes that clip, so that a band or a blur is measured
on what the network sees, and a static clip makes grey residual frames; the rest of the pipeline and the model's
rotations follow. ``position only`` reads other files: twins of the clips where the actor is a grey disc at its
place (the synthetic generator renders them; for other videos it is left out).
"""
import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

# name -> (the control transform, or None for the clips as they are; what the reading line says it lacks)
CONTROLS = {
    'clips': (None, ''),
    'static': (dict(type='StaticFrames'), 'without motion (one frame repeated)'),
    'shuffled': (dict(type='ShuffleFrames'), 'without temporal order (frames shuffled)'),
    'border only': (dict(type='KeepBorder'), 'from the outer band alone'),
    'centre only': (dict(type='MaskBorder'), 'without the outer band'),
    'layout only': (dict(type='BlurFrames'), 'from the coarse layout alone (heavy blur)'),
    'position only': (None, "from the actor's position alone (a disc in its place)"),
}
# the controls change the decoded, cropped frames: before residual frames are made of them, before any rotation
SPLIT_BEFORE = ('ResidualFrames', 'VideoRotation', 'FormatShape')


class AuditError(ValueError):
    """A checkpoint, list or config the audit cannot take (one line: what and where)."""


@dataclass
class Audit:
    """What to audit and how: ``band`` and ``sigma`` are fractions of the side of what the network sees."""
    config: str
    checkpoint: str
    video_list: str
    data_root: str = ''
    blob_root: Optional[str] = None
    controls: Sequence[str] = tuple(CONTROLS)
    num_videos: Optional[int] = None
    band: float = 0.125
    sigma: float = 0.05
    bootstrap: int = 1000
    batch_size: int = 16
    seed: int = 0
    cfg_options: Dict = field(default_factory=dict)


def split_pipeline(pipeline: List[Dict]) -> int:
    """Where the controls go: before the first ``VideoRotation`` or ``FormatShape`` of ``pipeline``."""
    for i, step in enumerate(pipeline):
        if step['type'] in SPLIT_BEFORE:
            return i
    raise AuditError(f'the test pipeline has no {" or ".join(SPLIT_BEFORE)} step to place the controls before')


def test_pipeline(cfg) -> List[Dict]:
    """The pipeline a config's test (else validation) runs use: its loader's, which ``--cfg-options`` reach."""
    for loader in ('test_dataloader', 'val_dataloader'):
        pipeline = ((cfg.get(loader) or {}).get('dataset') or {}).get('pipeline')
        if pipeline:
            return pipeline
    pipeline = cfg.get('test_pipeline') or cfg.get('val_pipeline')
    if not pipeline:
        raise AuditError(f'{cfg.filename}: no test or validation pipeline to decode the videos with')
    return pipeline


def rotation_model(cfg, checkpoint: str):
    """The whole rotation model of ``checkpoint`` (the pretraining's own checkpoint: backbone and rotation head)."""
    from mmaction.registry import MODELS

    from mmrot3d.apis import init_model
    if not Path(checkpoint).is_file():
        raise AuditError(f'{checkpoint}: no such checkpoint')
    if not issubclass(MODELS.get(cfg.model.get('type', '')) or object, MODELS.get('RotationRecognizer')):
        raise AuditError(f'{cfg.filename}: model.type={cfg.model.get("type")!r} is not a RotationRecognizer; the audit '
                         'needs the rotation pretraining config the checkpoint was trained with')
    model, loaded = init_model(cfg, checkpoint)
    if loaded != 'model':
        raise AuditError(f'{checkpoint} holds no rotation head (only a backbone was found in it): the audit needs the '
                         "pretraining run's whole checkpoint (e.g. WORK_DIR/iter_N.pth), not a backbone export")
    return model


def _sample(head_results: Dict, control: Optional[Dict], tail) -> Dict:
    """The packed sample of one decoded, cropped clip after ``control`` and the rest of the pipeline."""
    results = copy.copy(head_results)
    results['imgs'] = list(head_results['imgs'])
    if control is not None:
        from mmaction.registry import TRANSFORMS
        results = TRANSFORMS.build(control)(results)
    return tail(results)


def _correct(model, samples: List[Dict]) -> np.ndarray:
    """``(N, R)`` bool: each sample's rotated copies predicted right."""
    import torch
    from mmengine.dataset import pseudo_collate
    with torch.no_grad():
        out = model.test_step(pseudo_collate(samples))
    return np.stack([(s.pred_label.view(-1) == s.gt_label.view(-1)).cpu().numpy() for s in out])


def run_audit(a: Audit, progress: Optional[Callable[[int, int], None]] = None) -> Dict:
    """The rotation accuracy of ``a.checkpoint`` on each control of ``a.controls``: see :func:`summarise`."""
    from mmaction.registry import DATASETS
    from mmengine.config import Config
    from mmengine.dataset import Compose

    from mmrot3d.apis import load_config
    from mmrot3d.datasets.robust_video_dataset import BadVideoError
    unknown = [c for c in a.controls if c not in CONTROLS]
    if unknown:
        raise AuditError(f'unknown control {unknown[0]!r}; choose from {", ".join(CONTROLS)}')
    if not Path(a.config).is_file():
        raise AuditError(f'{a.config}: no such config')
    cfg = Config.fromfile(a.config)
    cfg.merge_from_dict(a.cfg_options)
    cfg = load_config(cfg)
    pipeline = copy.deepcopy([dict(t) for t in test_pipeline(cfg)])
    cut = split_pipeline(pipeline)
    for step in pipeline[:cut]:
        if step['type'] == 'SampleFrames':
            step.update(num_clips=1, test_mode=True)  # one clip per video: a control changes a clip as a whole
    model = rotation_model(cfg, a.checkpoint)
    tail = Compose(pipeline[cut:])
    controls = {c: CONTROLS[c][0] for c in a.controls if c != 'position only'}
    controls = {c: dict(t, **_control_args(t, a)) if t else None for c, t in controls.items()}
    datasets = dict(clips=_dataset(DATASETS, a.video_list, a.data_root, pipeline[:cut]))
    if 'position only' in a.controls and a.blob_root:
        datasets['position only'] = _dataset(DATASETS, a.video_list, a.blob_root, pipeline[:cut])
    total = len(datasets['clips'])
    chosen = sorted(set(np.linspace(0, total - 1, min(a.num_videos or total, total)).round().astype(int).tolist()))
    correct, skipped, example = {c: [] for c in (*controls, *list(datasets)[1:])}, [], {}
    pending = {c: [] for c in correct}
    for done, index in enumerate(chosen, 1):
        try:
            heads = {name: data.prepare_data(index) for name, data in datasets.items()}
        except BadVideoError as err:
            skipped.append(': '.join(datasets['clips'].describe_bad(index, str(err))))
            continue
        _check_square(heads['clips'], a.config)
        for name, control in controls.items():
            pending[name].append(_sample(heads['clips'], control, tail))
            if name not in example:
                example[name] = _middle_frame(pending[name][-1])
        if 'position only' in heads:
            pending['position only'].append(_sample(heads['position only'], None, tail))
            example.setdefault('position only', _middle_frame(pending['position only'][-1]))
        for name, waiting in pending.items():
            if len(waiting) >= a.batch_size or (done == len(chosen) and waiting):
                correct[name].append(_correct(model, waiting))
                pending[name] = []
        if progress:
            progress(done, len(chosen))
    for name, waiting in pending.items():
        if waiting:
            correct[name].append(_correct(model, waiting))
    if not correct['clips']:
        raise AuditError(f'{a.video_list}: none of its {len(chosen)} videos could be read under {a.data_root!r} '
                         f'(first: {skipped[0] if skipped else "the list is empty"})')
    found = summarise({c: np.concatenate(v) for c, v in correct.items() if v}, model.angles, a.bootstrap, a.seed)
    found.update(
        settings=dict(
            config=str(a.config),
            checkpoint=str(a.checkpoint),
            list=str(a.video_list),
            data_root=a.data_root,
            blob_root=a.blob_root,
            band=a.band,
            sigma=a.sigma,
            bootstrap=a.bootstrap,
            seed=a.seed),
        skipped=skipped)
    found['examples'] = example
    return found


def _control_args(transform: Dict, a: Audit) -> Dict:
    return dict(band=a.band) if transform['type'] in ('KeepBorder', 'MaskBorder') else \
        dict(sigma=a.sigma) if transform['type'] == 'BlurFrames' else {}


def _dataset(registry, video_list: str, root: str, head: List[Dict]):
    from mmrot3d.datasets.checks import ConfigError
    if not Path(video_list).is_file():
        raise AuditError(f'{video_list}: no such video list')
    try:
        return registry.build(
            dict(
                type='RobustVideoDataset',
                ann_file=video_list,
                data_prefix=dict(video=root),
                pipeline=head,
                test_mode=True,
                require_label=False,
                max_bad_fraction=1.0,
                min_frames=1))
    except ConfigError as err:
        raise AuditError(str(err)) from None


def _check_square(results: Dict, config: str) -> None:
    height, width = results['imgs'][0].shape[:2]
    if height != width:
        raise AuditError(f'{config}: its test pipeline gives {width}x{height} frames; a clip turned by 90 degrees '
                         'needs a square crop (e.g. CenterCrop with one crop_size)')


def _middle_frame(sample: Dict) -> np.ndarray:
    """The middle frame ``(H, W, 3)`` uint8 of a packed sample's first (upright) clip: ``(V, C, T, H, W)`` inputs
    (3D), or ``(F, C, H, W)`` (2D)."""
    inputs = sample['inputs'].numpy()
    frame = inputs[0][:, inputs.shape[2] // 2] if inputs.ndim == 5 else inputs[len(inputs) // 2]
    return np.ascontiguousarray(frame.transpose(1, 2, 0)).astype(np.uint8)


def summarise(correct: Dict[str, np.ndarray], angles: Sequence[int], bootstrap: int, seed: int) -> Dict:
    """``correct``: per control, ``(videos, R)`` bool. Accuracy overall and per angle, a bootstrap 95 % interval
    over videos (the same resamples for every control), and each control's share of the clips' accuracy above
    chance that survives."""
    chance = 1 / len(angles)
    out, clips = {}, correct.get('clips')
    for name, hits in correct.items():
        acc = float(hits.mean())
        picks = np.random.default_rng(seed).integers(0, len(hits), (bootstrap, len(hits)))  # alike for every control
        boot = hits.mean(axis=1)[picks].mean(axis=1) if bootstrap else np.array([acc])
        out[name] = dict(
            top1=acc,
            ci95=[float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5))],
            per_angle={
                f'{angle}deg': float(hits[:, i].mean())
                for i, angle in enumerate(angles)
            },
            videos=int(len(hits)))
    learnt = clips is not None and clips.mean() - chance > 0.05
    for name, found in out.items():
        found['survives'] = (found['top1'] - chance) / (clips.mean() - chance) if learnt and name != 'clips' else None
    return dict(chance=chance, angles=list(angles), controls=out, learnt=bool(learnt))


def reading_lines(found: Dict) -> List[str]:
    """One line per control: what share of the accuracy above chance survives without what it takes away."""
    controls = found['controls']
    clips = controls.get('clips')
    if clips is None:
        return []
    if not found['learnt']:
        return [
            f'the pretext is not learnt ({clips["top1"]:.1%} on the clips, chance {found["chance"]:.0%}): '
            'no cue to tell apart'
        ]
    lines = []
    for name, cell in controls.items():
        if name != 'clips':
            lines.append(
                f'{name}: {max(cell["survives"], 0):.0%} of the accuracy above chance survives '
                f'{CONTROLS[name][1]} ({cell["top1"]:.1%}, 95 % CI {cell["ci95"][0]:.1%}-{cell["ci95"][1]:.1%})')
    return lines


def table_lines(found: Dict) -> List[str]:
    angles = [f'{a}deg' for a in found['angles']]
    lines = [f'{"control":<15}{"top-1":>8}{"95 % CI":>16}' + ''.join(f'{a:>9}' for a in angles) + f'{"survives":>10}']
    for name, cell in found['controls'].items():
        survives = '' if cell['survives'] is None else f'{cell["survives"]:.0%}'
        lines.append(f'{name:<15}{cell["top1"]:>8.1%}{cell["ci95"][0]:>8.1%}-{cell["ci95"][1]:<7.1%}' +
                     ''.join(f'{cell["per_angle"][a]:>9.1%}' for a in angles) + f'{survives:>10}')
    lines.append(f'chance {found["chance"]:.1%}; {found["controls"]["clips"]["videos"]} videos, all '
                 f'{len(angles)} rotations of each')
    return lines


def markdown(found: Dict) -> str:
    angles = [f'{a}deg' for a in found['angles']]
    rows = [
        '| control | top-1 % | 95 % CI | ' + ' | '.join(angles) + ' | share above chance that survives |',
        '|---|---|---|' + '---|' * len(angles) + '---|'
    ]
    for name, cell in found['controls'].items():
        survives = '–' if cell['survives'] is None else f'{cell["survives"]:.0%}'
        rows.append(
            f'| {name} | {cell["top1"] * 100:.1f} | {cell["ci95"][0] * 100:.1f}-{cell["ci95"][1] * 100:.1f} | ' +
            ' | '.join(f'{cell["per_angle"][a] * 100:.1f}' for a in angles) + f' | {survives} |')
    settings = found['settings']
    return '\n'.join([
        f'# Cue audit of {settings["checkpoint"]}', '', f'Videos: {settings["list"]} under {settings["data_root"]!r}; '
        f'chance {found["chance"] * 100:.0f} %; bands {settings["band"]} and blur {settings["sigma"]} of the side of '
        f'what the network sees; 95 % intervals from {settings["bootstrap"]} bootstrap resamples of the videos.', '',
        *rows, '', *[f'- {line}' for line in reading_lines(found)], ''
    ] + ([f'Left out (could not be read): {len(found["skipped"])}', ''] if found['skipped'] else []))


def write_picture(found: Dict, path: Path) -> None:
    """Accuracy per control with its interval and chance, over what each control shows (one clip, upright)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    names = list(found['controls'])
    fig = plt.figure(figsize=(1.6 * len(names) + 1, 5.2))
    grid = fig.add_gridspec(2, len(names), height_ratios=[3, 1.2])
    axis = fig.add_subplot(grid[0, :])
    tops = [found['controls'][n]['top1'] * 100 for n in names]
    low = [t - found['controls'][n]['ci95'][0] * 100 for t, n in zip(tops, names)]
    high = [found['controls'][n]['ci95'][1] * 100 - t for t, n in zip(tops, names)]
    axis.bar(names, tops, yerr=[low, high], color=['#4c72b0'] + ['#dd8452'] * (len(names) - 1), capsize=4)
    axis.axhline(found['chance'] * 100, color='k', linestyle='--', linewidth=1, label='chance')
    axis.set_ylabel('rotation top-1 %')
    axis.set_ylim(0, 100)
    axis.legend(loc='upper right')
    axis.set_title('Which cues does the rotation model use?')
    for i, name in enumerate(names):
        ax = fig.add_subplot(grid[1, i])
        frame = found.get('examples', {}).get(name)
        if frame is not None:
            ax.imshow(np.asarray(frame, dtype=np.uint8))
        ax.set_axis_off()
        ax.set_title(name, fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(found: Dict, out: Path) -> Dict[str, str]:
    """``out``'s ``audit.json`` (every number), ``audit.md`` and ``audit.png``."""
    from mmrot3d.utils.atomic_io import write_text_atomic
    out.mkdir(parents=True, exist_ok=True)
    numbers = {k: v for k, v in found.items() if k != 'examples'}
    numbers['reading'] = reading_lines(found)
    write_text_atomic(str(out / 'audit.json'), json.dumps(numbers, indent=1))
    write_text_atomic(str(out / 'audit.md'), markdown(found))
    write_picture(found, out / 'audit.png')
    return {kind: str(out / f'audit.{kind}') for kind in ('json', 'md', 'png')}
