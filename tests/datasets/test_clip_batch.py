"""clip_batch_collate: through a real DataLoader with worker processes the training process receives the same
clips as with pseudo_collate, as a list, in one shared-memory block; MMAction2's data preprocessor takes it."""
import pickle

import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.dataset import pseudo_collate
from torch.utils.data import DataLoader

from mmrot3d.datasets import ClipBatch, clip_batch_collate


class Clips(torch.utils.data.Dataset):
    """Packed samples as PackActionInputs gives them: uint8 ``(1, 3, 4, 8, 8)`` clips."""

    def __init__(self, sizes=None):
        self.sizes = sizes or [8] * 8

    def __len__(self):
        return len(self.sizes)

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        size = self.sizes[i]
        clip = torch.randint(0, 256, (1, 3, 4, size, size), generator=g, dtype=torch.uint8)
        return dict(inputs=clip, data_samples=ActionDataSample(metainfo=dict(index=i)))


def batches(collate, dataset=None):
    return list(DataLoader(dataset or Clips(), batch_size=4, num_workers=2, collate_fn=collate))


def test_workers_hand_over_the_same_clips_in_one_block():
    ours, reference = batches(clip_batch_collate), batches(pseudo_collate)
    for got, want in zip(ours, reference):
        assert isinstance(got['inputs'], list) and len(got['inputs']) == 4
        assert all(torch.equal(a, b) for a, b in zip(got['inputs'], want['inputs']))
        assert [s.index for s in got['data_samples']] == [s.index for s in want['data_samples']]
        assert len({t.untyped_storage().data_ptr() for t in got['inputs']}) == 1  # one block
        assert len({t.untyped_storage().data_ptr() for t in want['inputs']}) == 4  # one block per clip


def test_the_data_preprocessor_gives_what_it_gives_for_pseudo_collate():
    preprocessor = MODELS.build(
        dict(type='ActionDataPreprocessor', mean=[100.0] * 3, std=[50.0] * 3, format_shape='NCTHW'))
    ours, reference = (preprocessor(batches(c)[0], training=True) for c in (clip_batch_collate, pseudo_collate))
    torch.testing.assert_close(ours['inputs'], reference['inputs'], rtol=0, atol=0)


def test_clips_of_different_shapes_stay_a_plain_list():
    batch = batches(clip_batch_collate, Clips([8, 8, 6, 8]))[0]
    assert type(batch['inputs']) is list and [c.shape[-1] for c in batch['inputs']] == [8, 8, 6, 8]


def test_a_changed_batch_pickles_as_the_list_it_is():
    batch = ClipBatch.of([torch.zeros(1, 2), torch.ones(1, 2)])
    batch[1] = torch.full((1, 2), 7.0)
    again = pickle.loads(pickle.dumps(batch))
    assert type(again) is list and again[1].tolist() == [[7.0, 7.0]]


def test_the_pretraining_recipe_hands_over_its_batches_in_one_block(video_dir, tmp_path):
    # a user's config inheriting the recipe through mmrot3d:: (the collate_fn dict gets the scope tag)
    from mmengine.config import Config
    from mmengine.runner import Runner
    (tmp_path /
     'mine.py').write_text("_base_ = ['mmrot3d::rotnet3d/rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py']\n")
    cfg = Config.fromfile(tmp_path / 'mine.py').train_dataloader
    assert cfg.collate_fn.type == 'clip_batch_collate'
    cfg.update(batch_size=2, num_workers=1, persistent_workers=False)
    cfg.dataset.update(ann_file=str(video_dir / 'list.txt'), data_prefix=dict(video=str(video_dir)))
    cfg.dataset.pipeline[1].clip_len = 8  # the test videos have 24 frames
    cfg.dataset.pipeline[3].bars_file = None  # bars measured as the loader meets each video
    batch = next(iter(Runner.build_dataloader(cfg, seed=0)))
    assert isinstance(batch['inputs'], list) and [c.shape for c in batch['inputs']] == [(1, 3, 8, 112, 112)] * 2
    assert len({c.untyped_storage().data_ptr() for c in batch['inputs']}) == 1
