"""Files written atomically get the permissions of any other file of the user (0o666 minus the umask),
not mkstemp's 0o600: a teammate can read checkpoints and exports as the user's umask allows."""
import os

import pytest
import torch.nn as nn

from mmrot3d.models import export_backbone
from mmrot3d.utils.atomic_io import write_bytes_atomic
from mmrot3d.utils.checkpoint import save_checkpoint_file


class WithBackbone(nn.Module):

    def __init__(self):
        super().__init__()
        self.backbone = nn.Linear(2, 2)


@pytest.fixture(params=[0o022, 0o027, 0o077])
def mask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_checkpoints_exports_and_files_follow_the_umask(tmp_path, mask):
    save_checkpoint_file({'w': 1}, tmp_path / 'epoch_1.pth')
    export_backbone(WithBackbone(), tmp_path / 'backbone.pth')
    write_bytes_atomic(str(tmp_path / 'data.bin'), b'1234')
    reference = tmp_path / 'plain.txt'
    reference.write_text('')  # what open() gives
    for name in ('epoch_1.pth', 'backbone.pth', 'data.bin'):
        assert ((tmp_path / name).stat().st_mode & 0o777) == (reference.stat().st_mode & 0o777) == 0o666 & ~mask


def test_a_failed_write_leaves_nothing_behind(tmp_path):

    class Unwritable:

        def __len__(self):
            return 4

    (tmp_path / 'old.bin').write_bytes(b'old')
    with pytest.raises(TypeError, match='a bytes-like object is required'):  # the write itself failed
        write_bytes_atomic(str(tmp_path / 'old.bin'), Unwritable())
    assert [p.name for p in tmp_path.iterdir()] == ['old.bin'] and (tmp_path / 'old.bin').read_bytes() == b'old'
