"""Evaluation of frozen features (nearest-neighbour retrieval, a linear probe) and of where activation maps
fall (share on the actor), in plain torch."""
from .actor_share import actor_share
from .linear_probe import fit_linear_probe, linear_probe_accuracy
from .retrieval import retrieval_recall

__all__ = ['actor_share', 'retrieval_recall', 'fit_linear_probe', 'linear_probe_accuracy']
