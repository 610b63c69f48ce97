import pytest
import torch

from mmrot3d.evaluation.functional import retrieval_recall


def test_known_answer():
    # Gallery: 4 videos on the axes; queries near them. Cosine ignores length.
    gallery = torch.tensor([[1., 0.], [0., 1.], [-1., 0.], [0., -1.]])
    g_labels = torch.tensor([0, 1, 2, 3])
    query = torch.tensor([[5., 0.1], [0.1, 2.], [1., 1.1]])
    q_labels = torch.tensor([0, 3, 0])
    r = retrieval_recall(query, q_labels, gallery, g_labels, ks=(1, 2, 3, 50))
    # q0: nearest is class 0 -> hit@1. q1: nearest is class 1 (label 3 is the farthest) -> hit only at 4.
    # q2: order 1, 0, ... -> hit at 2.
    assert r['R@1'] == pytest.approx(1 / 3)
    assert r['R@2'] == pytest.approx(2 / 3)
    assert r['R@3'] == pytest.approx(2 / 3)
    assert r['R@50'] == pytest.approx(1.0)  # k beyond the gallery = the whole gallery


def test_scale_invariant_and_perfect_on_separable_clusters():
    g = torch.Generator().manual_seed(0)
    centers = torch.randn(5, 16, generator=g) * 5
    labels = torch.arange(5).repeat_interleave(8)
    feats = centers[labels] + 0.1 * torch.randn(40, 16, generator=g)
    r = retrieval_recall(feats[::2] * 7, labels[::2], feats[1::2], labels[1::2], ks=(1, ))
    assert r['R@1'] == 1.0


def test_random_features_near_chance():
    g = torch.Generator().manual_seed(1)
    labels = torch.arange(10).repeat(40)
    r = retrieval_recall(torch.randn(400, 32, generator=g), labels, torch.randn(400, 32, generator=g), labels, ks=(1, ))
    assert 0.04 < r['R@1'] < 0.18


def test_shape_errors():
    with pytest.raises(ValueError, match=r'features must be \(Q, D\) and \(G, D\), got \(2, 3\) and \(2, 4\)'):
        retrieval_recall(torch.zeros(2, 3), torch.zeros(2), torch.zeros(2, 4), torch.zeros(2))
    with pytest.raises(ValueError, match='one label per feature row is needed'):
        retrieval_recall(torch.zeros(2, 3), torch.zeros(3), torch.zeros(2, 3), torch.zeros(2))
    with pytest.raises(ValueError, match='empty query or gallery'):
        retrieval_recall(torch.zeros(0, 3), torch.zeros(0), torch.zeros(2, 3), torch.zeros(2))
