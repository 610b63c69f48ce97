"""1. Pretext overhead: training-step throughput of the rotation recognizer (all four rotations
built in the model) against MMAction2's plain supervised Recognizer3D + head on the same
backbone and the same effective batch (B clips x 4 rotations = 4B clips through the backbone)."""
import torch

from . import common
from .timing import interleave, log, print_table, summarize

BAR = 0.97


def measure(args) -> dict:
    device = args.device
    table = common.backbones()
    if args.quick:
        plan = [('R3D-18', 1, (8, 32, 32)), ('R3D-18-narrow', 2, (8, 32, 32))]
        repeats, warmup = 3, 1
    else:
        plan = [('R3D-18', 1, None), ('R3D-18', 1, (16, 56, 56)), ('R3D-18-narrow', 4, None)] + [
            (name, 2, None) for name in ('C3D', 'R(2+1)D', 'X3D', 'SlowFast', 'TimeSformer', 'TSM')]
        repeats, warmup = args.repeats or 5, 2
    if device.startswith('cuda'):
        plan = [('R3D-18', 8, None)] + plan[1:]
    results = []
    for name, clips, shape in plan:
        backbone, channels, head, default_shape, fmt = table[name]
        shape = shape or default_shape
        eff = 4 * clips
        log(f'[overhead] {name}: {clips} clip(s) x 4 rotations vs supervised on {eff} clips, input {shape}')
        torch.manual_seed(0)
        rot = common.build_rotation(backbone, channels, fmt, rotate_in_model=True, device=device).train()
        rot_pipe = common.build_rotation(backbone, channels, fmt, rotate_in_model=False, device=device).train()
        sup = common.build_supervised(backbone, channels, head, fmt, device=device).train()
        batches = dict(supervised=common.synthetic_batch(eff, shape, fmt, labels='gt'),
                       rotation_in_model=common.synthetic_batch(clips, shape, fmt),
                       rotation_in_pipeline=common.synthetic_batch(clips, shape, fmt, labels='rotation'))
        models = dict(supervised=sup, rotation_in_model=rot, rotation_in_pipeline=rot_pipe)
        amp = getattr(args, 'amp', False)
        wrappers = {k: common.optim_wrapper(m, device, amp=amp) for k, m in models.items()}
        variants = {k: (lambda k=k: common.train_step(models[k], batches[k], wrappers[k])) for k in models}
        times = interleave(variants, repeats, warmup, label=f'overhead {name}')
        summary = summarize(times, 'supervised', {k: eff for k in models}, unit='clips/s', label=f'overhead {name}')
        # where the pretext machinery's own cost is: making the 4 rotated copies (rot90 + cat)
        with torch.no_grad():
            pre = rot.data_preprocessor(batches['rotation_in_model'], training=True)
            rt = interleave({'rotated_batch': lambda: rot.rotated_batch(pre['inputs'], pre['data_samples'])},
                            max(repeats, 5), warmup=1, label=f'overhead {name} rot90')['rotated_batch']
        rot_s = sorted(rt)[len(rt) // 2]
        row = dict(backbone=name, rotated_batch_s=rot_s,
                   rotated_batch_share_of_step=rot_s / summary['rotation_in_model']['median_s'], clips_per_step=eff, input=list(shape), variants=summary,
                   ratio_in_model=summary['rotation_in_model']['ratio'],
                   ratio_in_pipeline=summary['rotation_in_pipeline']['ratio'],
                   ratio_in_model_cpu=summary['rotation_in_model']['ratio_cpu'])
        if name == 'R3D-18':
            row['bar'] = BAR
            row['bar_met'] = row['ratio_in_model'] >= BAR
        results.append(row)
        del models, wrappers, rot, rot_pipe, sup
    print_table('Pretext overhead (clips/s through the backbone, fwd+bwd+SGD; ratio vs supervised)', [
        dict(backbone=r['backbone'], input='x'.join(map(str, r['input'])), clips=r['clips_per_step'],
             supervised=r['variants']['supervised']['throughput'],
             in_model=r['variants']['rotation_in_model']['throughput'],
             ratio_in_model=r['ratio_in_model'], ratio_cpu=r['ratio_in_model_cpu'], ratio_in_pipeline=r['ratio_in_pipeline'],
             rot90_share=r['rotated_batch_share_of_step'])
        for r in results], ['backbone', 'input', 'clips', 'supervised', 'in_model', 'ratio_in_model',
                            'ratio_cpu', 'ratio_in_pipeline', 'rot90_share'])
    return dict(description='training-step clips/s: RotationRecognizer(rotate_in_model=True) on B clips x 4 '
                            'rotations vs Recognizer3D/2D + MMAction2 head on 4B clips; ratio = rotation/supervised',
                repeats=repeats, rows=results)
