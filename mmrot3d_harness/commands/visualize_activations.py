"""Where does the network look? Activation maps (the 3DRotNet authors' channel-summed activations of a
backbone stage, min-max normalised per frame) or Grad-CAM, over one clip of each video:

    python tools/visualize_activations.py CONFIG CHECKPOINT VIDEO [VIDEO ...] --out DIR \\
        [--stage layer3] [--method activation|gradcam] [--target rotation|class] [--index K] [--reduce sum|max]
    torchrun --nproc_per_node 2 tools/visualize_activations.py ... --launcher pytorch   # the videos split

CHECKPOINT: a backbone export (tools/export_backbone.py), a whole model's checkpoint of your own run
(needed for Grad-CAM, which explains the head's logit), or ``none`` for the random init. The clip is
sampled by the config's val_pipeline (one clip, deterministic). Writes DIR/<video>.png (frames above
their overlays) and DIR/<video>.gif (every frame beside its overlay).
"""
import argparse
import os
import sys
import time

from mmrot3d.utils.upstream_fixes import apply_tool_fixes
from ..user_errors import exit_on_user_error

apply_tool_fixes()  # before anything reads a config or a checkpoint (mmrot3d/utils/upstream_fixes.py)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('config')
    p.add_argument('checkpoint', help="weights to load, or 'none' for the config's random init")
    p.add_argument('videos', nargs='+', metavar='VIDEO')
    p.add_argument('--out', required=True, help='output folder')
    p.add_argument('--stage', default=None, help='backbone stage, e.g. layer2, layer3 (default), slow_path.layer3')
    p.add_argument('--method', choices=['activation', 'gradcam'], default='activation')
    p.add_argument(
        '--target',
        choices=['rotation', 'class'],
        default='rotation',
        help='Grad-CAM: the rotation logit (RotationRecognizer) or a class logit (Recognizer3D/2D)')
    p.add_argument(
        '--index',
        type=int,
        default=None,
        help='Grad-CAM: which logit (default: the label of 0 deg, i.e. the clip as given, or the '
        'predicted class)')
    p.add_argument('--reduce', choices=['sum', 'max'], default='sum', help='activation: channel sum or max')
    p.add_argument('--columns', type=int, default=8, help='frames per row of the contact sheet')
    p.add_argument(
        '--combined',
        default=None,
        help='also write all videos\' sheets stacked into this PNG (256 colours, small enough for docs)')
    p.add_argument('--threads', type=int, default=None, help='torch threads (default: torch decides)')
    p.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm'],
        default='none',
        help='pytorch/slurm: the videos split over the ranks of torchrun/srun; rank 0 writes --combined')
    p.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return p.parse_args(argv)


def main(argv=None) -> None:
    a = parse_args(argv)
    missing = [v for v in a.videos if not os.path.isfile(v)] + \
        ([a.checkpoint] if a.checkpoint != 'none' and not os.path.isfile(a.checkpoint) else [])
    if missing:
        sys.exit(f'error: no such file: {", ".join(missing)}')
    from mmrot3d.datasets.checks import check_video
    bad = [f'{v}: {reason}' for v in a.videos for reason in [check_video(v)] if reason]
    if bad:  # before the model is built: the unreadable videos named
        named = bad[:5] + ([f'{len(bad) - 5} more'] if len(bad) > 5 else [])
        sys.exit(f'error: {len(bad)} of {len(a.videos)} videos cannot be read: {"; ".join(named)}')
    import torch

    from mmrot3d.apis import init_model, load_config
    from mmrot3d.visualization import resolve_stage, single_clip_pipeline, stack_pngs, visualize_video
    from ..distributed import gather_in_order, my_share, start_ranks
    if a.threads:
        torch.set_num_threads(a.threads)
    rank, world = start_ranks(a.launcher)
    with exit_on_user_error(ValueError):
        cfg = load_config(a.config)
        pipeline = single_clip_pipeline(cfg)
        model, loaded = init_model(cfg, None if a.checkpoint == 'none' else a.checkpoint)
        if a.method == 'gradcam' and loaded != 'model':
            held = f'the backbone export {a.checkpoint}' if loaded == 'backbone' else "the random init ('none')"
            raise ValueError(f'Grad-CAM explains a logit of the trained head, which {held} does not have; give the '
                             "whole model's checkpoint (the run's iter_N.pth / epoch_N.pth)")
        stage, _ = resolve_stage(model, a.stage)
        sheets = []
        for i, video in my_share(list(enumerate(a.videos, 1)), rank, world):
            t0 = time.monotonic()
            result = visualize_video(model, video, pipeline, a.out, a.method, stage, a.reduce, a.target, a.index,
                                     a.columns)
            sheets.append(result.sheet)
            print(
                f'[{i}/{len(a.videos)}] {video}: {result.caption}; {result.frames} frames -> {result.sheet}, '
                f'{result.animation} ({time.monotonic() - t0:.1f} s)',
                flush=True)
        sheets = gather_in_order(sheets, len(a.videos))
        if a.combined and rank == 0:
            print(f'wrote {stack_pngs(sheets, a.combined)}')
