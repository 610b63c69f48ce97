"""Does the network look at the actor? For synthetic clips (tools/data/synthetic/generate.py), whose actor
masks are known, the share of each backbone stage's activation mass on the actor vs the actor's share
of the frame, for the random init and every given backbone:

    python tools/actor_share.py CONFIG LIST --data-root DIR [--backbone NAME=FILE ...] [--num-videos 48] \\
        [--stages layer1 layer2 layer3 layer4] [--reduce sum|max] [--out results.json]
    torchrun --nproc_per_node 2 tools/actor_share.py ... --launcher pytorch    # the videos split over 2 ranks

CONFIG gives the backbone and the val_pipeline (one clip per video, deterministic); each FILE is a
backbone export (tools/export_backbone.py; export a fine-tuned run's backbone the same way). Prints
``share / area xlift`` per stage, for the min-max normalised maps (what the pictures show) and the
raw activation mass; lift 1.0 means the map ignores the actor.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

from mmengine.config import Config, DictAction

from mmrot3d.utils.upstream_fixes import apply_tool_fixes
from ..user_errors import exit_on_user_error

apply_tool_fixes()  # before anything reads a config or a checkpoint (mmrot3d/utils/upstream_fixes.py)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('config')
    p.add_argument('list', help='video list of the synthetic dataset (e.g. ucf_style/ucf101_val_split_1_videos.txt)')
    p.add_argument('--data-root', required=True, help='folder the list paths are relative to')
    p.add_argument(
        '--backbone',
        action='append',
        default=[],
        metavar='NAME=FILE',
        help='a backbone to measure besides the random init (repeatable)')
    p.add_argument('--num-videos', type=int, default=48, help='videos taken evenly spaced over the list')
    p.add_argument('--stages', nargs='+', default=['layer1', 'layer2', 'layer3', 'layer4'])
    p.add_argument('--reduce', choices=['sum', 'max'], default='sum')
    p.add_argument('--seed', type=int, default=0, help='seeds the random init')
    p.add_argument('--threads', type=int, default=None, help='torch threads (default: torch decides)')
    p.add_argument('--out', help='also write the numbers as JSON here')
    p.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm'],
        default='none',
        help='pytorch/slurm: the videos split over the ranks of torchrun/srun; rank 0 prints and writes')
    p.add_argument('--local_rank', '--local-rank', type=int, default=0)
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        metavar='KEY=VALUE',
        help='override settings of CONFIG (e.g. the model), as in tools/train.py')
    return p.parse_args(argv)


def main(argv=None) -> dict:
    a = parse_args(argv)
    backbones = {'random init': None}
    for item in a.backbone:
        name, sep, path = item.partition('=')
        if not sep or not name or not path:
            sys.exit(f'error: --backbone {item!r}: expected NAME=FILE, e.g. pretrained=work_dirs/x/backbone.pth')
        if not os.path.isfile(path):
            sys.exit(f'error: --backbone {name}: no such file {path}')
        backbones[name] = path
    for path in (a.config, a.list):
        if not os.path.isfile(path):
            sys.exit(f'error: no such file: {path}')
    from mmrot3d.datasets.video_list import read_video_list
    entries = read_video_list(a.list, require_label=False)
    bad = [e for e in entries if e.error]
    if bad:
        sys.exit(f'error: {a.list}:{bad[0].lineno}: {bad[0].error}')
    if not entries:
        sys.exit(f'error: {a.list}: lists no video')
    from mmrot3d.datasets.checks import check_video, missing_videos_hint
    from ..list_check import bad_entry_line
    sample = entries[::max(1, len(entries) // a.num_videos)][:a.num_videos]
    bad = [(e, reason) for e in sample for reason in [check_video(os.path.join(a.data_root, e.path))] if reason]
    if bad:  # before any model is built: the unreadable videos of the sample named
        hint = missing_videos_hint(a.data_root, [e.path for e, _ in bad]) if len(bad) == len(sample) else ''
        named = [bad_entry_line(a.list, e, r) for e, r in bad[:5]] + ([f'{len(bad) - 5} more'] if len(bad) > 5 else [])
        sys.exit(f'error: {len(bad)} of the {len(sample)} videos to measure cannot be read: {"; ".join(named)}' +
                 (f'; {hint}' if hint else ''))
    videos = [os.path.join(a.data_root, e.path) for e in sample]
    import torch

    from mmrot3d.visualization import compare_backbones, format_table
    from ..distributed import gather_in_order, my_share, start_ranks
    from ..progress import CountProgress
    from ..synthetic import ActorMasks  # the generator renders them again from the clips' seeds
    if a.threads:
        torch.set_num_threads(a.threads)
    rank, world = start_ranks(a.launcher)
    if world > len(videos):
        sys.exit(f'error: {world} ranks for {len(videos)} videos; use at most {len(videos)} processes')

    def gather(part: torch.Tensor) -> torch.Tensor:  # this rank's clips -> all clips, in list order
        return torch.stack(gather_in_order(list(part), len(videos)))

    t0 = time.monotonic()
    with exit_on_user_error(ValueError):
        masks = ActorMasks.of_video(videos[0])
        config = Config.fromfile(a.config)
        config.merge_from_dict(a.cfg_options)
        progress = CountProgress('actor share', len(backbones), 'backbones') if rank == 0 else None
        results = compare_backbones(config, backbones, my_share(videos, rank, world), masks, a.stages, a.reduce, a.seed,
                                    gather if world > 1 else None, progress)
    if rank != 0:
        return results
    clips = results[next(iter(results))]['clips']
    for reading in ('normalized', 'raw'):
        print(f'\n{reading} maps ({a.reduce} over channels), {clips} clips: actor share / actor area  x lift')
        print('\n'.join(format_table(results, reading)))
    print(f'\n({time.monotonic() - t0:.0f} s)')
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.out).write_text(
            json.dumps(
                dict(config=a.config, list=a.list, videos=len(videos), backbones=backbones, results=results), indent=1))
    return results
