"""DropKeys: the class label never reaches the packed data sample."""
import pytest
import torch
from mmaction.registry import TRANSFORMS
from mmengine.dataset import Compose


def test_packed_sample_carries_no_label_and_the_same_clip():
    results = dict(imgs=torch.zeros(1, 3, 2, 4, 4).numpy(), label=3, img_shape=(4, 4))
    pack = dict(type='PackActionInputs')
    plain = Compose([pack])(dict(results))
    dropped = Compose([dict(type='DropKeys', keys=('label', 'not_there')), pack])(dict(results))
    assert 'gt_label' in plain['data_samples'] and 'gt_label' not in dropped['data_samples']
    assert torch.equal(plain['inputs'], dropped['inputs'])
    assert repr(TRANSFORMS.build(dict(type='DropKeys', keys=('label', )))) == "DropKeys(keys=('label',))"


def test_a_single_string_is_refused():
    with pytest.raises(TypeError, match=r"keys=\('label', \)"):
        TRANSFORMS.build(dict(type='DropKeys', keys='label'))
