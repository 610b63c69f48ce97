"""The configs and tools shipped inside the installed package (``mmrot3d/.mim/``, as MMAction2 does).

``setup.py`` links (editable install) or copies (wheel) the repository's ``configs/``, ``tools/`` and
``model-index.yml`` there, so code finds them the same way in a checkout and in site-packages.
"""
from pathlib import Path
from typing import Union

MIM_DIR = Path(__file__).resolve().parents[1] / '.mim'


def shipped_path(relpath: Union[str, Path]) -> Path:
    """The absolute path of a shipped file or folder, e.g. ``shipped_path('configs/rotnet3d')``.

    Raises:
        FileNotFoundError: it is not shipped (or the package was imported without being installed).
    """
    path = MIM_DIR / relpath
    if not path.exists():
        raise FileNotFoundError(f'{relpath}: not shipped with mmrot3d (no {path}); install the package '
                                '(pip install -e . in a checkout) so that setup.py puts configs/ and tools/ there')
    return path
