from typing import Dict, Sequence

import torch
import torch.nn.functional as F


def retrieval_recall(query: torch.Tensor,
                     query_labels: torch.Tensor,
                     gallery: torch.Tensor,
                     gallery_labels: torch.Tensor,
                     ks: Sequence[int] = (1, 5, 10, 20, 50)) -> Dict[str, float]:
    """Nearest-neighbour video retrieval by cosine similarity (the protocol of 3DRotNet and its successors).

    Every query (a test video) ranks the gallery (training videos); it is a hit at ``k`` when any of
    its ``k`` nearest neighbours has its class.

    Args:
        query: ``(Q, D)`` video-level features (e.g. the mean over 10 clips); query_labels ``(Q,)``.
        gallery: ``(G, D)`` features; gallery_labels ``(G,)``.
        ks: the recall cut-offs; a ``k`` larger than the gallery counts the whole gallery.

    Returns:
        ``{'R@1': ..., 'R@5': ...}`` as fractions in [0, 1].
    """
    if query.dim() != 2 or gallery.dim() != 2 or query.shape[1] != gallery.shape[1]:
        raise ValueError(f'retrieval_recall: features must be (Q, D) and (G, D), got {tuple(query.shape)} '
                         f'and {tuple(gallery.shape)}')
    if len(query) != len(query_labels) or len(gallery) != len(gallery_labels):
        raise ValueError('retrieval_recall: one label per feature row is needed')
    if len(gallery) == 0 or len(query) == 0:
        raise ValueError('retrieval_recall: empty query or gallery')
    sim = F.normalize(query.double(), dim=1) @ F.normalize(gallery.double(), dim=1).T
    # Stable order for ties: sort by (-similarity, gallery index).
    order = torch.argsort(-sim, dim=1, stable=True)
    hits = gallery_labels.view(1, -1).expand(len(query), -1).gather(1, order) == query_labels.view(-1, 1)
    out = {}
    for k in ks:
        kk = min(int(k), len(gallery))
        out[f'R@{k}'] = hits[:, :kk].any(dim=1).double().mean().item()
    return out
