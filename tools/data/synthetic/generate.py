"""Generate the synthetic action-video dataset (Kinetics-400-style pretraining set + UCF101-style set).

Example::

    python tools/data/synthetic/generate.py --out data/synthetic --pretrain-clips 4000 --workers 2

Does nothing when ``--out`` already holds a complete dataset made with the same parameters.
"""
import argparse

from mmrot3d_harness.synthetic.generator import Params, generate, generate_actor_blob, generate_actor_free


def parse_args(argv=None) -> argparse.Namespace:
    d = Params()
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', required=True, help='output folder (e.g. data/synthetic)')
    p.add_argument('--seed', type=int, default=d.seed)
    p.add_argument('--pretrain-clips', type=int, default=d.pretrain_clips, help='Kinetics-style train clips')
    p.add_argument(
        '--pretrain-val-clips',
        type=int,
        default=None,
        help='Kinetics-style val clips (default: 10%% of --pretrain-clips)')
    p.add_argument('--clips-per-class', type=int, default=d.clips_per_class, help='UCF-style clips per class')
    p.add_argument('--groups', type=int, default=d.groups, help='UCF-style groups per class (>= 3)')
    p.add_argument('--frames', type=int, default=d.frames, help='frames per clip')
    p.add_argument('--size', type=int, default=d.size, help='frame height and width in pixels')
    p.add_argument('--fps', type=float, default=d.fps)
    p.add_argument('--workers', type=int, default=None, help='processes (default: all CPU cores)')
    p.add_argument('--force', action='store_true', help='regenerate even if the output is complete')
    p.add_argument(
        '--controls',
        action='store_true',
        help='also render twins of the Kinetics-style val clips: without their actor (controls/actor_free/videos: '
        'rotation accuracy on them must be chance) and with a grey disc where the actor is '
        '(controls/actor_blob/videos: what the actor\'s position alone tells)')
    p.add_argument('--bars', type=float, default=d.bars, help='share of the Kinetics-style clips with letterbox bars')
    p.add_argument('--bar-height', type=float, default=d.bar_height, help='each bar, a fraction of the height')
    p.add_argument('--logo', action='store_true', help='a fixed logo on every Kinetics-style clip')
    return p.parse_args(argv)


def main(argv=None) -> None:
    a = parse_args(argv)
    val = a.pretrain_val_clips if a.pretrain_val_clips is not None else a.pretrain_clips // 10
    params = Params(
        seed=a.seed,
        pretrain_clips=a.pretrain_clips,
        pretrain_val_clips=val,
        clips_per_class=a.clips_per_class,
        groups=a.groups,
        frames=a.frames,
        size=a.size,
        fps=a.fps,
        bars=a.bars,
        bar_height=a.bar_height,
        logo=a.logo)
    generate(a.out, params, workers=a.workers, force=a.force)
    if a.controls:
        generate_actor_free(a.out, params, workers=a.workers)
        generate_actor_blob(a.out, params, workers=a.workers)


if __name__ == '__main__':
    main()
