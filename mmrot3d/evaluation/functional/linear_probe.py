from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F


def _standardise(train: torch.Tensor, *others: torch.Tensor):
    mean, std = train.mean(0, keepdim=True), train.std(0, unbiased=False, keepdim=True).clamp_min(1e-6)
    return [(x - mean) / std for x in (train, ) + others]


def fit_linear_probe(x: torch.Tensor,
                     y: torch.Tensor,
                     num_classes: int,
                     weight_decay: float = 1e-3,
                     max_iter: int = 100) -> Tuple[torch.Tensor, torch.Tensor]:
    """Multinomial logistic regression with an L2 penalty, fitted to convergence by L-BFGS.

    The objective is convex, so the result does not depend on a seed. Features should be standardised.

    Returns:
        weight ``(num_classes, D)`` and bias ``(num_classes,)``.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a small problem: thread hand-offs cost more than they save
    try:
        return _fit(x.double(), y.long(), num_classes, weight_decay, max_iter)
    finally:
        torch.set_num_threads(threads)


def _fit(x, y, num_classes, weight_decay, max_iter):
    w = torch.zeros(num_classes, x.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros(num_classes, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w, b],
                            lr=1,
                            max_iter=max_iter,
                            tolerance_grad=1e-7,
                            tolerance_change=1e-10,
                            history_size=20,
                            line_search_fn='strong_wolfe')

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(x @ w.T + b, y) + 0.5 * weight_decay * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach(), b.detach()


def _accuracy(w, b, x, y) -> float:
    return ((x.double() @ w.T + b).argmax(1) == y).double().mean().item()


def linear_probe_accuracy(train_x: torch.Tensor,
                          train_y: torch.Tensor,
                          test_x: torch.Tensor,
                          test_y: torch.Tensor,
                          num_classes: Optional[int] = None,
                          weight_decays: Sequence[float] = (1e-3, 1e-2, 1e-1),
                          folds: int = 3,
                          max_iter: int = 100) -> Dict[str, float]:
    """Top-1 of a linear classifier on frozen features, its L2 strength chosen by cross-validation on
    the training features only (folds are interleaved by index, so the result is deterministic).

    Returns:
        ``{'top1': test accuracy, 'train_top1': ..., 'weight_decay': the chosen strength}``.
    """
    if len(train_x) != len(train_y) or len(test_x) != len(test_y):
        raise ValueError('linear_probe_accuracy: one label per feature row is needed')
    train_y, test_y = train_y.long(), test_y.long()
    num_classes = num_classes or int(max(train_y.max(), test_y.max())) + 1
    best_wd = weight_decays[0]
    if len(weight_decays) > 1 and folds > 1 and len(train_x) >= 2 * folds:
        scores = []
        idx = torch.arange(len(train_x))
        for wd in weight_decays:
            accs = []
            for f in range(folds):
                val, fit = idx % folds == f, idx % folds != f
                xf, xv = _standardise(train_x[fit].double(), train_x[val].double())
                w, b = fit_linear_probe(xf, train_y[fit], num_classes, wd, max_iter)
                accs.append(_accuracy(w, b, xv, train_y[val]))
            scores.append(sum(accs) / len(accs))
        best_wd = weight_decays[max(range(len(scores)), key=lambda i: (scores[i], weight_decays[i]))]
    xtr, xte = _standardise(train_x.double(), test_x.double())
    w, b = fit_linear_probe(xtr, train_y, num_classes, best_wd, max_iter)
    return dict(
        top1=_accuracy(w, b, xte, test_y), train_top1=_accuracy(w, b, xtr, train_y), weight_decay=float(best_wd))
