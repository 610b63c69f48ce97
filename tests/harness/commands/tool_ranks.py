"""Run shipped tools one after the other in this process, each as its command line does (its ``__main__``
with ``sys.argv``): under ``torchrun`` every rank runs each of them, in one process group. One start-up for
several tools' two-rank runs.

    python -m torch.distributed.run --nproc_per_node 2 tests/harness/commands/tool_ranks.py RUNS.json

RUNS.json: ``[[tool, [arg, ...]], ...]``, tools as shipped paths (``tools/actor_share.py``).
"""
import json
import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from conftest import forget_new_mmengine_instances  # noqa: E402

from mmrot3d.utils.shipped_files import shipped_path  # noqa: E402


def main(runs_file: str) -> None:
    for tool, args in json.loads(Path(runs_file).read_text()):
        path = str(shipped_path(tool))
        sys.argv = [path, *args]
        print(f'=== {tool}', flush=True)
        with forget_new_mmengine_instances():
            runpy.run_path(path, run_name='__main__')
    import torch.distributed as dist
    if dist.is_initialized():  # ranks leave together, with gloo's threads shut down, not torn down at exit
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main(sys.argv[1])
