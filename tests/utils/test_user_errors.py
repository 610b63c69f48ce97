"""exit_on_user_error: a user's bad input ends a tool with one line; a bug keeps its traceback."""
import pytest

from mmrot3d.datasets.checks import ConfigError
from mmrot3d.datasets.robust_video_dataset import TooManyBadVideosError
from mmrot3d.models import BackboneCheckpointError
from mmrot3d.utils.checkpoint import UntrustedCheckpointError
from mmrot3d_harness.user_errors import exit_on_user_error


@pytest.mark.parametrize('error', [
    BackboneCheckpointError('b.pth: no backbone tensors'),
    UntrustedCheckpointError('b.pth: not trusted'),
    FileNotFoundError('b.pth: no such file'),
    ConfigError('list.txt:3: v.mp4: zero-byte file'),
    TooManyBadVideosError('5 of 8 videos of list.txt are bad'),
])
def test_a_user_error_exits_with_its_own_line(error):
    with pytest.raises(SystemExit) as stop, exit_on_user_error():
        raise error
    assert stop.value.code == f'error: {error}'


def test_a_data_loader_worker_error_is_reduced_to_its_last_line():
    # torch raises a worker's error again in the main process, the worker's traceback as its message
    message = ('Caught ConfigError in DataLoader worker process 0.\nOriginal Traceback (most recent call last):\n'
               '  File "x.py", line 1, in f\nmmrot3d.datasets.checks.pipeline.ConfigError: list.txt:6: v.mp4: '
               'zero-byte file')
    with pytest.raises(SystemExit) as stop, exit_on_user_error():
        raise ConfigError(message)
    assert stop.value.code == 'error: list.txt:6: v.mp4: zero-byte file'


def test_a_tools_own_errors_only_where_it_says_so_and_bugs_keep_their_traceback():
    with pytest.raises(SystemExit, match='error: --stage: no layer9'), exit_on_user_error(ValueError):
        raise ValueError('--stage: no layer9')
    with pytest.raises(ValueError), exit_on_user_error():
        raise ValueError('a bug')
    with pytest.raises(KeyError), exit_on_user_error(ValueError):
        raise KeyError('a bug')
