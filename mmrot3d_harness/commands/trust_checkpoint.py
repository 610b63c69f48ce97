"""Record full checkpoints you trust (e.g. copied from your own runs elsewhere), so that they load with
``--resume``, ``load_from`` or ``tools/test.py``. Only do this for files whose origin you trust: unpickling
can run code.

    python tools/trust_checkpoint.py PATH [PATH ...]
"""
import argparse
import os.path as osp
import sys

from mmrot3d.utils.checkpoint import trust_checkpoint, trust_store_path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('checkpoints', nargs='+', help='checkpoint files')
    args = parser.parse_args(argv)
    for path in args.checkpoints:
        if not osp.isfile(path):
            sys.exit(f'error: {path}: no such file')
        sha = trust_checkpoint(path)
        print(f'trusted {path} (sha256 {sha}) in {trust_store_path()}')
