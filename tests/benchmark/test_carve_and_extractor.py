import torch

from mmrot3d.benchmark.protocol import carve_validation, mean_std


def test_carve_by_group(tmp_path):
    lines = [f'A/v_A_g{g:02d}_c{c:02d}.avi 0' for g in range(1, 5) for c in range(1, 3)]
    train = tmp_path / 'train.txt'
    train.write_text('\n'.join(lines) + '\n')
    sub, val = carve_validation(str(train), tmp_path / 'sel')
    val_lines = open(val).read().split()
    assert all('_g04_' in x for x in val_lines if x.endswith('.avi')) and len(val_lines) == 4
    assert '_g04_' not in open(sub).read()


def test_carve_without_groups_is_per_class(tmp_path):
    lines = [f'x/{i}.avi {i % 2}' for i in range(16)]
    train = tmp_path / 'train.txt'
    train.write_text('\n'.join(lines) + '\n')
    sub, val = carve_validation(str(train), tmp_path / 'sel')
    val_labels = [ln.split()[1] for ln in open(val).read().splitlines()]
    assert sorted(val_labels) == ['0', '0', '1', '1']
    assert len(open(sub).read().splitlines()) == 12


def test_mean_std():
    assert mean_std([0.5, 0.7])['mean'] == 0.6
    assert abs(mean_std([0.5, 0.7])['std'] - 0.1414) < 1e-3
    assert mean_std([0.3])['std'] == 0.0


def test_feature_extractor_averages_views(tmp_path):
    from mmaction.registry import MODELS

    from conftest import tiny_r3d
    from mmrot3d.models import export_backbone
    m = MODELS.build(dict(type='FeatureExtractor', backbone=tiny_r3d(4)))
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
    m2 = MODELS.build(dict(type='FeatureExtractor', backbone=tiny_r3d(4), checkpoint=str(path)))
    m2.init_weights()
    m2.eval()
    assert torch.allclose(m2.extract(x), f, atol=1e-5)
    bad = MODELS.build(dict(type='FeatureExtractor', backbone=tiny_r3d(8), checkpoint=str(path)))
    try:
        bad.init_weights()
    except Exception as e:  # BackboneCheckpointError
        assert 'does not fit' in str(e) or 'shape' in str(e)
    else:
        raise AssertionError('a mismatched backbone must not load')


def test_recipe_optimizer_cfg():
    from mmrot3d.benchmark.protocol import Recipe
    base = dict(type='AdamW', lr=3e-3, weight_decay=1e-2)
    assert Recipe(1e-2).optimizer_cfg(base) == dict(type='AdamW', lr=1e-2, weight_decay=1e-2)
    sgd = Recipe(0.05, 1.0, 'SGD', 1e-4).optimizer_cfg(base)
    assert sgd['type'] == 'SGD' and sgd['lr'] == 0.05 and sgd['momentum'] == 0.9 and sgd['weight_decay'] == 1e-4
    assert Recipe(1e-2).name() == 'lr0.01_bb1' and Recipe(0.05, 1.0, 'SGD', 1e-4).name() == 'sgd_lr0.05_bb1_wd0.0001'
