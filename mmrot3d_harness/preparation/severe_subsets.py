"""SEVERE's derived training sets: the 1000-sample subsets and the FineGym granularity sets.

Facts from SEVERE's repository (github.com/fmthoker/SEVERE-BENCHMARK at 2f99365), re-implemented here:

* the 1000-sample sets (``action_recognition/datasets/utils.py::get_subset_data``) are drawn when the list is
  read, never shipped: ``ceil(1000 / C)`` videos per class (``C``: the labels the list holds), classes in
  ascending label order, each drawn with ``RandomState(99999).choice(n_c, k, replace=False)`` (one generator
  for the whole draw) over the class's entries in list order; a class with fewer entries gives all of them,
  shuffled. UCF101 split 1 gives 101 x 10 = 1010 videos, Gym99 99 x 11 = 1089.
* FX-S1 and UB-S1 (``datasets/gym_set_FX_S1.py``, ``gym_set_UB_S1.py``) are the Gym99 lists cut to labels
  6..16 (FX leaps, jumps and hops) and 74..88 (UB circles), shifted to start at 0.

Writing the draws as lists makes the 1000-sample jobs ordinary presets whose training set is SEVERE's, video
for video (``tests/harness/preparation/test_severe_lists.py`` checks the draw against SEVERE's own code's
output).
"""
import math
from collections import defaultdict
from typing import Dict, List, Sequence

import numpy as np

from mmrot3d.datasets.video_list import Entry

SEVERE_SEED = 99999  # get_subset_data's module-level seed (12345 and 19 are commented out there)
SEVERE_SAMPLES = 1000
# Gym99 labels of the granularity sets: FX-S1 = Floor Exercise leaps/jumps/hops, UB-S1 = Uneven Bars circles
FX_S1 = tuple(range(6, 17))
UB_S1 = tuple(range(74, 89))


def severe_subset(entries: Sequence[Entry], samples: int = SEVERE_SAMPLES, seed: int = SEVERE_SEED) -> List[Entry]:
    """The entries SEVERE's ``get_subset_data`` keeps, in its order (class by class, as drawn)."""
    by_class: Dict[int, List[int]] = defaultdict(list)
    for i, entry in enumerate(entries):
        by_class[int(entry.label)].append(i)
    per_class = math.ceil(samples / len(by_class))
    state = np.random.RandomState(seed)  # one generator, fresh per draw, as SEVERE creates it per call
    keep = []
    for label in sorted(by_class):
        members = by_class[label]
        drawn = state.choice(len(members), min(per_class, len(members)), replace=False)
        keep += [members[j] for j in drawn]
    return [entries[i] for i in keep]


def label_range_subset(entries: Sequence[Entry], labels: Sequence[int]) -> List[Entry]:
    """The entries whose label is in ``labels`` (consecutive), relabelled from 0 (SEVERE's FX-S1 / UB-S1)."""
    first, wanted = labels[0], set(labels)
    return [Entry(e.path, int(e.label) - first, e.source, e.lineno, e.text) for e in entries if int(e.label) in wanted]
