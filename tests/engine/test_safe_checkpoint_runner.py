"""SafeCheckpointRunner: checkpoints written atomically with the user's umask and recorded as ours; resume
past a torn last_checkpoint. A plain MMEngine Runner keeps MMEngine's behaviour."""
import os

import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import DataLoader

from mmrot3d.engine import SafeCheckpointRunner
from mmrot3d.utils.checkpoint import is_trusted_checkpoint, load_checkpoint_file


class Linear(BaseModel):

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return self.fc(inputs)


def runner(cls, work_dir, **kwargs):
    """A runner that could train (saving a checkpoint records the training state), with nothing to build."""
    return cls(
        model=Linear(),
        work_dir=str(work_dir),
        default_scope='mmaction',
        train_dataloader=DataLoader([torch.zeros(2)] * 2, batch_size=1),
        train_cfg=dict(by_epoch=True, max_epochs=1),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        **kwargs)


@pytest.fixture
def umask():
    """Set the process umask for one test (the umask is per process), then restore it."""
    old = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(old)


@pytest.mark.parametrize('mask', [0o022, 0o027])
def test_checkpoints_are_complete_readable_by_the_umask_and_ours(tmp_path, umask, mask):
    umask(mask)
    safe = runner(SafeCheckpointRunner, tmp_path)
    safe.save_checkpoint(str(tmp_path), 'epoch_1.pth', save_optimizer=False, save_param_scheduler=False)
    path = tmp_path / 'epoch_1.pth'
    assert (path.stat().st_mode & 0o777) == 0o666 & ~mask
    assert not list(tmp_path.glob('.epoch_1.pth.*'))  # no temp file left behind
    assert is_trusted_checkpoint(path)  # so that --resume may unpickle it
    assert torch.equal(load_checkpoint_file(path, 'cpu')['state_dict']['fc.weight'], safe.model.fc.weight.cpu())


def test_a_plain_runner_saves_the_mmengine_way(tmp_path):
    plain = runner(Runner, tmp_path)
    plain.save_checkpoint(str(tmp_path), 'epoch_1.pth', save_optimizer=False, save_param_scheduler=False)
    assert (tmp_path / 'epoch_1.pth').is_file() and not is_trusted_checkpoint(tmp_path / 'epoch_1.pth')


@pytest.mark.parametrize('pointer, expected', [('', 'epoch_2.pth'), ('epoch_', 'epoch_2.pth'),
                                               ('epoch_1.pth', 'epoch_1.pth'), (None, 'epoch_2.pth')])
def test_resume_takes_the_newest_complete_checkpoint_when_the_pointer_is_torn(tmp_path, pointer, expected):
    for epoch in (1, 2):
        torch.save({'state_dict': {}}, tmp_path / f'epoch_{epoch}.pth')
    os.utime(tmp_path / 'epoch_1.pth', (1, 1))
    if pointer is not None:
        (tmp_path / 'last_checkpoint').write_text(str(tmp_path / pointer) if pointer else '')
    safe = runner(SafeCheckpointRunner, tmp_path, resume=True)
    resumed = []
    safe.resume = resumed.append
    safe.load_or_resume()
    assert resumed == [str(tmp_path / expected)]


def test_resume_with_nothing_to_resume_starts_from_the_beginning(tmp_path):
    (tmp_path / 'last_checkpoint').write_text('')  # killed while MMEngine wrote the first pointer
    safe = runner(SafeCheckpointRunner, tmp_path, resume=True)
    safe.resume = lambda path: pytest.fail(f'resumed from {path!r}')
    safe.load_or_resume()
