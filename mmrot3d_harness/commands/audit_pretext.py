"""What does the pretext learn? A rotation model's accuracy on the clips as they are and on controls that each keep
one cue, with bootstrap 95 % intervals over the videos:

    python tools/audit_pretext.py CONFIG CHECKPOINT LIST --data-root DIR --out DIR [--num-videos N]
        [--controls clips static shuffled "border only" "centre only" "layout only" "position only"]
        [--band 0.125] [--sigma 0.05] [--blob-root DIR] [--bootstrap 1000]

CONFIG is the rotation pretraining config, CHECKPOINT the run's own checkpoint (backbone and rotation head, e.g.
WORK_DIR/iter_1200.pth), LIST any video list (``path [label]`` per line; labels unused) under ``--data-root``.
Every video is decoded and cropped by CONFIG's test pipeline, then each control changes the clip as the network
sees it: ``static`` (its middle frame repeated: no motion), ``shuffled`` (frames in another order: no temporal
order), ``border only`` (only the outer band, ``--band`` x the side, kept), ``centre only`` (that band masked),
``layout only`` (a Gaussian blur of ``--sigma`` x the side), ``position only`` (twins of the videos under
``--blob-root`` where the actor is a grey disc: the synthetic generator's ``controls/actor_blob/videos``).

Prints a table and one reading line per control ("N % of the accuracy above chance survives without motion"),
and writes OUT/audit.json, audit.md and audit.png. Bad input stops with one line: a checkpoint without a rotation
head, a list none of whose videos can be read, a pipeline whose crop is not square.
"""
import argparse
from pathlib import Path

from mmengine.config import DictAction

from mmrot3d.utils.upstream_fixes import apply_tool_fixes
from ..cue_audit import CONTROLS, Audit, AuditError, reading_lines, run_audit, table_lines, write_outputs
from ..progress import CountProgress
from ..user_errors import exit_on_user_error

apply_tool_fixes()  # before anything reads a config or a checkpoint (mmrot3d/utils/upstream_fixes.py)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('config', help='the rotation pretraining config')
    p.add_argument('checkpoint', help="the pretraining run's checkpoint (backbone and rotation head)")
    p.add_argument('list', help='video list, "path [label]" per line')
    p.add_argument('--data-root', default='', help='folder the list paths are relative to')
    p.add_argument('--out', required=True, help='folder for audit.json, audit.md, audit.png')
    p.add_argument('--controls', nargs='+', default=list(CONTROLS), choices=list(CONTROLS), metavar='CONTROL')
    p.add_argument('--num-videos', type=int, help='videos spread over the list (default: all)')
    p.add_argument('--band', type=float, default=0.125, help='border band, a fraction of the side (default 0.125)')
    p.add_argument('--sigma', type=float, default=0.05, help='layout blur, a fraction of the side (default 0.05)')
    p.add_argument('--blob-root', help="the list's videos with the actor as a disc (synthetic data only)")
    p.add_argument('--bootstrap', type=int, default=1000, help='resamples of the videos for the 95 %% intervals')
    p.add_argument('--threads', type=int, help='torch threads (default: torch decides)')
    p.add_argument('--cfg-options', nargs='+', action=DictAction, help='override settings of CONFIG (key=value)')
    return p.parse_args(argv)


def main(argv=None) -> dict:
    a = parse_args(argv)
    if a.threads:
        import torch
        torch.set_num_threads(a.threads)
    audit = Audit(
        a.config,
        a.checkpoint,
        a.list,
        a.data_root,
        a.blob_root,
        a.controls,
        a.num_videos,
        a.band,
        a.sigma,
        a.bootstrap,
        cfg_options=a.cfg_options or {})
    with exit_on_user_error(AuditError):
        found = run_audit(audit, CountProgress('audit', 0, 'videos'))
    written = write_outputs(found, Path(a.out))
    print('\n'.join(table_lines(found)))
    print('\n'.join(reading_lines(found)))
    for line in found['skipped']:
        print(f'skipped bad video {line}')
    print(f'wrote {", ".join(written.values())}')
    return found
