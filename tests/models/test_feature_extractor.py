"""FeatureExtractor: features averaged over the views; strict backbone reload."""
import re

import pytest
import torch

from mmrot3d.models.backbone_io import BackboneCheckpointError


def test_feature_extractor_averages_views(tmp_path):
    from mmaction.registry import MODELS
    from small_backbones import narrow_r3d

    from mmrot3d.models import export_backbone
    m = MODELS.build(dict(type='FeatureExtractor', backbone=narrow_r3d(4)))
    m.init_weights()
    m.eval()
    x = torch.randn(2, 3, 3, 4, 32, 32)
    f = m.extract(x)
    assert f.shape == (2, 32)
    one = m.extract(x[:, :1])
    assert not torch.allclose(f, one)
    assert torch.allclose(f[0], torch.stack([m.extract(x[:1, v:v + 1])[0] for v in range(3)]).mean(0), atol=1e-5)
    # A strict reload reproduces the features; a mismatched backbone is refused.
    path = tmp_path / 'bb.pth'
    export_backbone(m, path)
    m2 = MODELS.build(dict(type='FeatureExtractor', backbone=narrow_r3d(4), checkpoint=str(path)))
    m2.init_weights()
    m2.eval()
    assert torch.allclose(m2.extract(x), f, atol=1e-5)
    bad = MODELS.build(dict(type='FeatureExtractor', backbone=narrow_r3d(8), checkpoint=str(path)))
    with pytest.raises(
            BackboneCheckpointError,
            match=rf'^{re.escape(str(path))} does not fit model\.backbone \(ResNet3d\): 100 shape mismatches '
            r'\(conv1\.conv\.weight: file \[4, 3, 3, 7, 7\] vs model \[8, 3, 3, 7, 7\]'):
        bad.init_weights()
