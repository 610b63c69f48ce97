"""tools/export_backbone.py --format torchvision: the backbone of a 3DRotNet run on torchvision's R3D-18 as a
state dict that torchvision's r3d_18() loads strictly and that computes the same features; a run on another
network is refused with what differs."""
import torch
from conftest import run_tool
from mmaction.registry import MODELS
from mmengine.config import Config
from torchvision_video import features, video_resnet

from mmrot3d.utils.checkpoint import save_checkpoint_file
from mmrot3d.utils.shipped_files import shipped_path

PRETRAIN = 'configs/rotnet3d/rotnet3d_{}_1xb32-16x2x1-50e_kinetics400-rgb.py'


def training_checkpoint(path, backbone: str):
    """A checkpoint as a pretraining run of ``PRETRAIN`` saves it (weights and config)."""
    cfg = Config.fromfile(shipped_path(PRETRAIN.format(backbone)))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    save_checkpoint_file({'state_dict': model.state_dict(), 'meta': dict(cfg=cfg.pretty_text, epoch=3, iter=30)}, path)
    return model


def test_export_in_torchvisions_format_loads_strictly_and_computes_the_same_features(tmp_path):
    model = training_checkpoint(tmp_path / 'epoch_3.pth', 'r3d18-torchvision')
    result = run_tool('tools/export_backbone.py', tmp_path / 'epoch_3.pth', '--out', tmp_path / 'r3d_18.pth',
                      '--format', 'torchvision')
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {tmp_path / 'r3d_18.pth'}: torchvision's r3d_18 state dict, 120 "
                                    'tensors + fc (zeros), 33,')
    theirs = video_resnet('r3d_18')
    theirs.load_state_dict(torch.load(tmp_path / 'r3d_18.pth', weights_only=True), strict=True)
    theirs.eval()
    model.backbone.eval()
    clips = torch.randn(1, 3, 8, 32, 32)
    with torch.no_grad():
        assert (features(theirs, clips) - model.backbone(clips)).abs().max() <= 1e-5


def test_a_run_on_another_network_is_refused_with_what_differs(tmp_path):
    training_checkpoint(tmp_path / 'epoch_3.pth', 'r3d18')  # ours: 7x7x7 stem, max pooling
    result = run_tool('tools/export_backbone.py', tmp_path / 'epoch_3.pth', '--out', tmp_path / 'r3d_18.pth',
                      '--format', 'torchvision')
    assert result.returncode == 1 and not (tmp_path / 'r3d_18.pth').exists()
    assert result.stderr.strip() == (
        f"error: {tmp_path / 'epoch_3.pth'}: its backbone is none of torchvision's r3d_18, mc3_18, r2plus1d_18; "
        'closest r3d_18, but conv1_kernel=(7, 7, 7) (torchvision r3d_18: (3, 7, 7)), pool1_stride_t=2 (torchvision '
        'r3d_18: 1), with_pool1=True (torchvision r3d_18: False), with_pool2=True (torchvision r3d_18: False) '
        '(configs/rotnet3d/rotnet3d_r3d18-torchvision_*.py pretrains r3d_18)')
    assert {p.name for p in tmp_path.iterdir()} == {'epoch_3.pth', 'trusted_checkpoints.txt'}  # nothing left behind


def test_our_format_stays_the_default(tmp_path):
    training_checkpoint(tmp_path / 'epoch_3.pth', 'r3d18-torchvision')
    assert run_tool('tools/export_backbone.py', tmp_path / 'epoch_3.pth', '--out', tmp_path / 'b.pth').returncode == 0
    assert torch.load(
        tmp_path / 'b.pth', weights_only=True)['state_dict']['conv1.conv.weight'].shape == (64, 3, 3, 7, 7)
