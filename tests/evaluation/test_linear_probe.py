import pytest
import torch

from mmrot3d.evaluation.functional import fit_linear_probe, linear_probe_accuracy


def _blobs(n_per_class, num_classes, dim, spread, seed):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(num_classes, dim, generator=g) * 3
    y = torch.arange(num_classes).repeat_interleave(n_per_class)
    return centers[y] + spread * torch.randn(len(y), dim, generator=g), y


def test_separable_classes_are_learned():
    x, y = _blobs(20, 4, 8, 0.3, seed=0)
    xt, yt = _blobs(10, 4, 8, 0.3, seed=0)  # same centres (same seed), new noise below
    xt = xt + 0.05 * torch.randn(xt.shape, generator=torch.Generator().manual_seed(5))
    r = linear_probe_accuracy(x, y, xt, yt)
    assert r['top1'] == 1.0 and r['train_top1'] == 1.0


def test_xor_is_not_linearly_separable():
    # A linear classifier cannot exceed ~50% on XOR, which a non-linear one would solve: the probe is linear.
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 2, (400, 2), generator=g).float()
    y = (x[:, 0] != x[:, 1]).long()
    x = x + 0.05 * torch.randn(x.shape, generator=g)
    r = linear_probe_accuracy(x[:200], y[:200], x[200:], y[200:], weight_decays=(1e-4, ))
    assert r['top1'] < 0.7


def test_noise_features_give_chance():
    g = torch.Generator().manual_seed(3)
    y = torch.arange(6).repeat(50)
    r = linear_probe_accuracy(torch.randn(300, 20, generator=g), y, torch.randn(300, 20, generator=g), y)
    assert r['top1'] < 0.3


def test_strong_l2_shrinks_weights_and_choice_is_deterministic():
    x, y = _blobs(15, 3, 5, 1.0, seed=1)
    w_small, _ = fit_linear_probe(x, y, 3, weight_decay=1e-4)
    w_big, _ = fit_linear_probe(x, y, 3, weight_decay=10.0)
    assert w_big.norm() < 0.2 * w_small.norm()
    a = linear_probe_accuracy(x, y, x, y)
    b = linear_probe_accuracy(x, y, x, y)
    assert a == b


def test_label_count_mismatch():
    with pytest.raises(ValueError, match='linear_probe_accuracy: one label per feature row is needed'):
        linear_probe_accuracy(torch.zeros(4, 2), torch.zeros(3), torch.zeros(2, 2), torch.zeros(2))
