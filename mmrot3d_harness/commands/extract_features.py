"""Features of a frozen backbone for other tasks (retrieval, few-shot, temporal action localisation):

    python tools/extract_features.py CONFIG [BACKBONE] LIST --out DIR [--data-root DIR] \\
        [--mode pooled --num-clips 10 | --mode snippets --stride 16 [--window 16]] [--format npy|csv]
    torchrun --nproc_per_node 2 tools/extract_features.py ... --launcher pytorch     # the list split over ranks

CONFIG gives the backbone (and neck) and the test_pipeline; BACKBONE is a backbone export
(tools/export_backbone.py) or any plain tensor backbone state dict, loaded strictly (without it: the
seeded random init). LIST is an MMAction2 video list (``path [label]`` per line).

``pooled``: one vector per video, the mean over NUM_CLIPS clips spread over it -> DIR/<path>.npy (D,).
``snippets``: one row per window of WINDOW frames (default: the config's clip_len, at its frame_interval)
centred every STRIDE frames -> DIR/<path>.npy (S, D); ``--format csv`` writes the CSV (header line, one
row per snippet) that MMAction2's LoadLocalizationFeature reads. DIR/features.txt lists the finished
files with their labels; bad videos are named and skipped (DIR/skipped.txt); more than half of the list
bad, or none of it found under --data-root, is an error; rerunning skips finished videos.
"""
import argparse
import os
import sys

from mmrot3d.utils.upstream_fixes import apply_tool_fixes
from ..distributed import start_ranks
from ..progress import CountProgress
from ..user_errors import exit_on_user_error

apply_tool_fixes()  # before anything reads a config or a checkpoint (mmrot3d/utils/upstream_fixes.py)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('config')
    p.add_argument('backbone', nargs='?', default=None, help='backbone weights (default: random init)')
    p.add_argument('list', help='video list, one "path [label]" per line')
    p.add_argument('--out', required=True, help='output folder')
    p.add_argument('--data-root', default='', help='folder the list paths are relative to')
    p.add_argument('--mode', choices=['pooled', 'snippets'], default='pooled')
    p.add_argument(
        '--num-clips',
        type=int,
        default=10,
        help='pooled: clips averaged per video (3D models; 2D models keep their test segments)')
    p.add_argument(
        '--window', type=int, default=None, help="snippets: frames per window (default: the config's clip_len)")
    p.add_argument('--stride', type=int, default=16, help='snippets: frames between window centres')
    p.add_argument('--format', choices=['npy', 'csv'], default='npy', dest='fmt')
    p.add_argument('--batch-size', type=int, default=8, help='clips per forward pass')
    p.add_argument('--workers', type=int, default=0, help='decoding processes per rank')
    p.add_argument('--seed', type=int, default=0, help='seeds the random init when no BACKBONE is given')
    p.add_argument('--threads', type=int, default=None, help='torch threads per rank (default: torch decides)')
    p.add_argument(
        '--launcher',
        choices=['none', 'pytorch'],
        default='none',
        help='pytorch: one process per torchrun rank, each extracting its share of the list')
    p.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return p.parse_args(argv)


def main(argv=None) -> dict:
    a = parse_args(argv)
    missing = [f for f in (a.config, a.list, a.backbone) if f and not os.path.isfile(f)]
    if missing:
        sys.exit(f'error: no such file: {", ".join(missing)}')
    if a.data_root and not os.path.isdir(a.data_root):
        sys.exit(f'error: --data-root {a.data_root}: no such folder')
    import torch

    from mmrot3d.apis.feature_extraction import ExtractionSettings, extract_features
    if a.threads:
        torch.set_num_threads(a.threads)
    rank = start_ranks(a.launcher)[0]  # NCCL with one GPU per rank where CUDA is available, else gloo
    settings = ExtractionSettings(
        mode=a.mode, num_clips=a.num_clips, window=a.window, stride=a.stride, fmt=a.fmt, batch_size=a.batch_size)
    progress = CountProgress('extract features', 0, 'videos') if rank == 0 else None
    with exit_on_user_error(ValueError):
        result = extract_features(a.config, a.list, a.out, a.backbone, a.data_root, settings, a.workers, a.seed,
                                  progress)
    print(
        f'{a.out}: wrote {result["written"]}, kept {result["reused"]} already there, skipped '
        f'{len(result["skipped"])} bad videos' + (f'; index {result["index"]}' if 'index' in result else ''),
        flush=True)
    return result
