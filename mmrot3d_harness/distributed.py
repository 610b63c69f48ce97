"""The tools' side of ``torchrun`` / ``srun``: join the launcher's process group, split a list of work
items over the ranks, and put the ranks' results back together in list order."""
import os
from typing import List, Sequence, Tuple

RANK_VARIABLES = dict(pytorch='RANK', slurm='SLURM_PROCID')


def launcher_rank(launcher: str) -> int:
    """This process's rank as torchrun (``RANK``) or srun (``SLURM_PROCID``) numbered it; 0 for ``none``.
    For work that needs no process group (one rank writes a file)."""
    name = RANK_VARIABLES.get(launcher)
    return int(os.environ.get(name, '0')) if name else 0


def start_ranks(launcher: str) -> Tuple[int, int]:
    """Join the process group ``launcher`` (``none``, ``pytorch``, ``slurm``) set up, as MMEngine's tools
    do (NCCL with one GPU per rank where CUDA is available, else gloo); ``(rank, world size)``."""
    from mmengine.dist import get_dist_info, init_dist, is_distributed
    if launcher != 'none' and not is_distributed():
        init_dist(launcher)
    return get_dist_info()


def my_share(items: Sequence, rank: int, world: int) -> list:
    """Items ``rank, rank + world, ...``: what one rank works on."""
    return list(items[rank::world])


def gather_in_order(part: Sequence, total: int) -> List:
    """Every rank's :func:`my_share` results -> the ``total`` results in list order, on every rank."""
    from mmengine.dist import all_gather_object, get_world_size
    world = get_world_size()
    if world == 1:
        return list(part)
    parts = all_gather_object(list(part))
    return [parts[i % world][i // world] for i in range(total)]
