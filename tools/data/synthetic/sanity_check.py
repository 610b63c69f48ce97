"""Is the synthetic data learnable, and is "up" carried by the actor only? A quick plain-PyTorch check.

Renders clips in memory (no files), takes every 2nd of 32 frames (16 x 64 x 64, the 3DRotNet
sampling), and trains a tiny 3D CNN from scratch, each for a fixed wall-clock budget:

1. action classification, tested on held-out clips of unseen actors/scenes (chance 1/12);
2. rotation prediction (``torch.rot90`` on H, W; 4 classes; all 4 rotations of every clip per
   step), tested on held-out clips, with the accuracy logged over time (a near-instant 100%
   would mean a shortcut), and on the same held-out clips with the actor removed;
3. rotation prediction trained on actor-free clips: must stay near chance (25%), otherwise the
   background or distractors leak the orientation.

Example::

    python tools/data/synthetic/sanity_check.py --train-clips 1000 --seconds 150
"""
import argparse
import time
from multiprocessing import get_context

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrot3d_harness.synthetic.actions import CLASSES
from mmrot3d_harness.synthetic.render import render_clip, sample_style


def _render(args):
    """One clip ``(16, 64, 64, 3)`` uint8 (every 2nd of 32 frames) and its class."""
    seed, index, draw_actor = args
    rng = np.random.default_rng([seed, 99, index])
    c = index % len(CLASSES)
    frames, _ = render_clip(c, sample_style(rng), rng, 32, 64, draw_actor=draw_actor)
    return frames[::2], c


def make_set(seed: int, count: int, draw_actor: bool = True, workers: int = 2):
    """``(N, 3, 16, 64, 64)`` uint8 tensor and ``(N,)`` labels."""
    with get_context('fork').Pool(workers) as pool:
        out = pool.map(_render, [(seed, i, draw_actor) for i in range(count)], chunksize=16)
    x = torch.from_numpy(np.stack([o[0] for o in out])).permute(0, 4, 1, 2, 3).contiguous()
    return x, torch.tensor([o[1] for o in out])


class Tiny3D(nn.Module):
    """4 conv3d-BN-ReLU layers (16-32-64-96 channels), global pooling, linear head."""

    def __init__(self, num_classes: int):
        super().__init__()
        chans, strides = (3, 16, 32, 64, 96), ((1, 2, 2), 2, 2, 2)
        self.body = nn.Sequential(*[
            nn.Sequential(nn.Conv3d(a, b, 3, s, 1, bias=False), nn.BatchNorm3d(b), nn.ReLU(inplace=True))
            for a, b, s in zip(chans[:-1], chans[1:], strides)
        ])
        self.head = nn.Linear(chans[-1], num_classes)

    def forward(self, x):
        return self.head(self.body(x).mean(dim=(2, 3, 4)))


def _prep(x_uint8):
    return x_uint8.float().div_(127.5).sub_(1.0)


def rotations(x):
    """``(N, C, T, H, W)`` -> all 4 rotations ``(4N, ...)`` and labels 0..3 (k * 90 degrees)."""
    return torch.cat([torch.rot90(x, k, dims=(3, 4)) for k in range(4)]), \
        torch.arange(4).repeat_interleave(x.shape[0])


@torch.no_grad()
def accuracy(model, x, y=None, rotate=False, batch=64):
    model.eval()
    correct = total = 0
    for i in range(0, len(x), batch):
        xb = _prep(x[i:i + batch])
        yb = y[i:i + batch] if y is not None else None
        if rotate:
            xb, yb = rotations(xb)
        correct += (model(xb).argmax(1) == yb).sum().item()
        total += len(yb)
    model.train()
    return correct / total


def train(task, x, y, tests, seconds, batch, log_at=(10, 30, 60)):
    """Train for ``seconds``; ``tests`` = {name: (x, y)}; logs test accuracy at ``log_at`` and at the end."""
    torch.manual_seed(0)
    rotate = task == 'rotation'
    model = Tiny3D(4 if rotate else len(CLASSES))
    opt = torch.optim.AdamW(model.parameters(), 2e-3, weight_decay=1e-4)
    start, step, pending = time.monotonic(), 0, list(log_at)
    gen = torch.Generator().manual_seed(0)
    while True:
        elapsed = time.monotonic() - start
        if pending and elapsed >= pending[0] or elapsed >= seconds:
            accs = {k: accuracy(model, tx, ty, rotate) for k, (tx, ty) in tests.items()}
            print(
                f'  [{task}] {elapsed:6.1f}s step {step:4d}  ' + '  '.join(f'{k}={v * 100:.1f}%'
                                                                           for k, v in accs.items()),
                flush=True)
            while pending and elapsed >= pending[0]:
                pending.pop(0)
            if elapsed >= seconds:
                return accs
        idx = torch.randint(len(x), (batch, ), generator=gen)
        xb, yb = _prep(x[idx]), y[idx]
        if rotate:
            xb, yb = rotations(xb)
        else:  # horizontal flip: viewpoint, keeps "up"
            flip = torch.rand(batch, generator=gen) < 0.5
            xb[flip] = xb[flip].flip(-1)
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--train-clips', type=int, default=1000)
    p.add_argument('--test-clips', type=int, default=240)
    p.add_argument('--seconds', type=float, default=150, help='training budget per task')
    p.add_argument('--workers', type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.workers)
    t0 = time.monotonic()
    x, y = make_set(1, a.train_clips, workers=a.workers)
    xt, yt = make_set(2, a.test_clips, workers=a.workers)
    xt_bg, _ = make_set(2, a.test_clips, draw_actor=False, workers=a.workers)  # same clips, actor removed
    x_bg, _ = make_set(1, a.train_clips, draw_actor=False, workers=a.workers)
    print(f'rendered {2 * (a.train_clips + a.test_clips)} clips in {time.monotonic() - t0:.1f}s', flush=True)
    cls = train('classify', x, y, {'test': (xt, yt)}, a.seconds, batch=32)
    rot = train('rotation', x, y, {'test': (xt, None), 'test_no_actor': (xt_bg, None)}, a.seconds, batch=8)
    rot_bg = train('rotation', x_bg, y, {'test_no_actor': (xt_bg, None)}, a.seconds / 2, batch=8)
    print(f'SUMMARY classify test {cls["test"] * 100:.1f}% (chance {100 / len(CLASSES):.1f}%) | rotation test '
          f'{rot["test"] * 100:.1f}%, on actor-free clips {rot["test_no_actor"] * 100:.1f}% | rotation trained '
          f'without actor {rot_bg["test_no_actor"] * 100:.1f}% (chance 25%)')


if __name__ == '__main__':
    main()
