"""The errors a user fixes in their files, not in our code, and the one line a tool prints for them.

Every tool in ``tools/`` runs its work inside :func:`exit_on_user_error`: a checkpoint that does not fit or
is not trusted, a missing file, a bad video or list stops the tool with exit status 1 and one ``error:`` line
that names the file (``LIST:LINE: path: reason`` for a video), instead of a traceback. Anything else is a bug
and keeps its traceback.
"""
import sys
from contextlib import contextmanager
from typing import Iterator, Type


def user_errors() -> tuple:
    """The exception types that mean "fix your input" (imported here, so that this module stays light)."""
    from mmrot3d.datasets.checks import ConfigError
    from mmrot3d.datasets.robust_video_dataset import TooManyBadVideosError
    from mmrot3d.models import BackboneCheckpointError
    from mmrot3d.utils.checkpoint import UntrustedCheckpointError
    return (BackboneCheckpointError, UntrustedCheckpointError, FileNotFoundError, ConfigError, TooManyBadVideosError)


def error_line(err: BaseException) -> str:
    """The error's own line, also when a DataLoader worker raised it (torch raises it again in the main process
    with the worker's traceback as its message, the original line last)."""
    text = str(err).strip()
    if 'Original Traceback' in text:
        last = text.splitlines()[-1]
        name = type(err).__name__
        text = last.split(f'{name}: ', 1)[1] if f'{name}: ' in last else last
    return text or type(err).__name__


@contextmanager
def exit_on_user_error(*also: Type[BaseException]) -> Iterator[None]:
    """``with exit_on_user_error(ValueError): ...``: a user error (and ``also``: the tool's own argument
    errors) ends the process with ``error: <its line>`` on stderr and exit status 1."""
    try:
        yield
    except user_errors() + also as err:
        sys.exit(f'error: {error_line(err)}')
