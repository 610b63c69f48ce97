"""Fine-tuning recipes for the synthetic presets, chosen per backbone on a validation split.

The synthetic benchmark's budget is small (a few hundred steps), so a backbone's best learning rate
matters: every backbone tries the same number of recipes for the same steps on a validation split
carved by group from split 1's training list (never the test list), and keeps the best. On UCF101 and
HMDB51 there is no search: the fine-tuning config's own recipe runs unchanged.
"""
from dataclasses import asdict, dataclass
from typing import Dict, List, Sequence


@dataclass(frozen=True)
class Recipe:
    """AdamW (the demo config's optimizer) with ``lr`` for the head and ``lr * backbone_lr_mult`` for the backbone."""
    lr: float
    backbone_lr_mult: float = 1.0

    def name(self) -> str:
        return f'lr{self.lr:g}_bb{self.backbone_lr_mult:g}'

    def options(self) -> List[str]:
        return [
            f'optim_wrapper.optimizer.lr={self.lr:g}',
            f'optim_wrapper.paramwise_cfg.custom_keys.backbone.lr_mult={self.backbone_lr_mult:g}'
        ]

    def describe(self) -> str:
        return f'AdamW lr {self.lr:g}, backbone x{self.backbone_lr_mult:g}'


# The same number of candidates per backbone, around the learning rate that suits each kind of start:
# a random backbone needs a larger step to learn in the budget than a pretrained one, which keeps more
# of its features with a smaller one.
SCRATCH_RECIPES = (Recipe(3e-3), Recipe(1e-2))
PRETRAINED_RECIPES = (Recipe(1e-3), Recipe(3e-3))


def iteration_options(iters: int) -> List[str]:
    """A training budget of ``iters`` steps for the demo configs (linear warm-up over the first tenth,
    then cosine), validated once at the end (unless ``--no-validate``)."""
    warmup = max(1, iters // 10)
    return [
        f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}', f'param_scheduler.0.end={warmup}',
        f'param_scheduler.1.begin={warmup}', f'param_scheduler.1.end={iters}'
    ]


def choose(candidates: Sequence[Recipe], scores: Sequence[float]) -> Dict:
    """The best candidate by validation top-1 (the first of equals), with every score."""
    best = max(range(len(candidates)), key=lambda i: (scores[i], -i))
    return dict(
        chosen=asdict(candidates[best]),
        options=candidates[best].options(),
        candidates=[dict(recipe=asdict(r), val_top1=s) for r, s in zip(candidates, scores)])
