"""Evaluation of frozen features: nearest-neighbour retrieval and a linear probe (plain torch)."""
from .linear_probe import fit_linear_probe, linear_probe_accuracy
from .retrieval import retrieval_recall

__all__ = ['retrieval_recall', 'fit_linear_probe', 'linear_probe_accuracy']
