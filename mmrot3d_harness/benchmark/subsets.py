"""Training-list subsets: fewer labels (label efficiency) and a validation split carved by group.

Label subsets are class-balanced, nested and deterministic per seed: each class's videos are put in
one order drawn from ``(seed, class)``, and a subset takes a prefix of every class's order -- so the
10 % subset lies inside the 25 % one, and the same seed gives the same subset on every machine.
"""
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

from mmrot3d.datasets.video_list import Entry, read_video_list, write_video_list


def _check(entries: List[Entry], path: str) -> List[Entry]:
    bad = next((e for e in entries if e.error), None)
    if bad:
        raise ValueError(f'{path}:{bad.lineno}: {bad.error}')
    if not entries:
        raise ValueError(f'{path}: the list is empty')
    return entries


def _class_orders(entries: List[Entry], seed: int) -> Dict[int, List[int]]:
    """For each label, the indices of its entries in a random order drawn from (seed, label)."""
    by_class: Dict[int, List[int]] = defaultdict(list)
    for i, e in enumerate(entries):
        by_class[int(e.label)].append(i)
    return {
        label: [idx[j] for j in np.random.default_rng([seed, label]).permutation(len(idx))]
        for label, idx in sorted(by_class.items())
    }


def per_class_counts(sizes: Dict[int, int],
                     fraction: Optional[float] = None,
                     samples: Optional[int] = None) -> Dict[int, int]:
    """How many videos of each class a subset keeps.

    ``fraction``: ``ceil(fraction * n_c)`` per class (at least 1). ``samples``: ``samples // C`` per class,
    the remainder to the first classes in label order, capped by the class size.
    """
    if (fraction is None) == (samples is None):
        raise ValueError('give exactly one of fraction and samples')
    if fraction is not None:
        if not 0 < fraction <= 1:
            raise ValueError(f'--train-fraction {fraction}: must be in (0, 1]')
        return {c: max(1, math.ceil(fraction * n - 1e-9)) for c, n in sizes.items()}
    if samples < len(sizes):
        raise ValueError(f'--samples {samples}: fewer than one video per class ({len(sizes)} classes)')
    base, extra = divmod(samples, len(sizes))
    return {c: min(n, base + (1 if i < extra else 0)) for i, (c, n) in enumerate(sorted(sizes.items()))}


def label_subset(train_list: str,
                 out: Path,
                 seed: int,
                 fraction: Optional[float] = None,
                 samples: Optional[int] = None) -> Path:
    """Write the class-balanced subset of ``train_list`` to ``out`` (entries in the list's order)."""
    entries = _check(read_video_list(train_list), train_list)
    orders = _class_orders(entries, seed)
    counts = per_class_counts({c: len(idx) for c, idx in orders.items()}, fraction, samples)
    keep = sorted(i for c, idx in orders.items() for i in idx[:counts[c]])
    return write_video_list(out, [entries[i] for i in keep])


def subset_name(fraction: Optional[float] = None, samples: Optional[int] = None) -> str:
    """``frac0.1`` / ``n1000`` / ``full``: the folder and key of a label setting."""
    if samples is not None:
        return f'n{samples}'
    return 'full' if fraction in (None, 1.0) else f'frac{fraction:g}'


def carve_validation(train_list: str, out_dir: Path, fraction: float = 0.25) -> Tuple[str, str]:
    """Split a training list into (sub-train, validation) by *group* when names carry UCF101's
    ``_gXX_`` (so the validation actors/scenes are unseen, like the test split), otherwise every
    ``1/fraction``-th video of each class. Never touches the test list."""
    entries = _check(read_video_list(train_list), train_list)
    groups = [re.search(r'_g(\d+)_', e.path) for e in entries]
    if all(groups):
        ids = sorted({int(g.group(1)) for g in groups})
        val_ids = set(ids[-max(1, int(round(len(ids) * fraction))):])
        is_val = [int(g.group(1)) in val_ids for g in groups]
    else:
        seen: Dict[int, int] = defaultdict(int)
        every = max(2, int(round(1 / fraction)))
        is_val = []
        for e in entries:
            seen[int(e.label)] += 1
            is_val.append(seen[int(e.label)] % every == 0)
    sub, val = out_dir / 'train.txt', out_dir / 'val.txt'
    write_video_list(sub, [e for e, v in zip(entries, is_val) if not v])
    write_video_list(val, [e for e, v in zip(entries, is_val) if v])
    return str(sub), str(val)
