"""MMAction2 1.2.0's own data tools (its ``tools/data/``, shipped in the installed package as
``mmaction/.mim/tools/data/``), run unchanged on a dataset root of ours.

MMAction2's tools expect to run inside its checkout: ``build_file_list.py`` from the checkout's root (its
parsers open ``data/<dataset>/annotations/...`` relative to the working folder), the FineGym scripts from
``tools/data/gym/`` (``../../../data/gym``). A shadow checkout gives them that: a temporary folder with their
scripts linked under ``tools/data/`` and ``data/<dataset>`` linked to the user's root, so they read and write the
files their README names, where it names them. The lists they write are then read back with our strict reader
and summarised (videos listed in the annotations but absent on disk, which MMAction2 leaves out silently).
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

from mmrot3d.datasets.video_list import Entry, read_video_list, write_lines
from .common import AnnotationError

# the modules build_file_list.py imports (as ``tools.data.<module>``) beside the script run
HELPERS = ('build_file_list.py', 'parse_file_list.py', 'anno_txt2json.py')


def data_tools() -> Path:
    """``tools/data`` of the installed MMAction2 release."""
    import mmaction
    return Path(mmaction.__file__).parent / '.mim' / 'tools' / 'data'


def data_tool(relpath: str) -> Path:
    path = data_tools() / relpath
    if not path.is_file():
        raise AnnotationError(
            path, "not found: MMAction2's data tools ship in its package (pip install "
            'mmaction2==1.2.0, as requirements/ pins it)')
    return path


def _shadow_checkout(folder: Path, script: str, dataset: str, root: Path) -> Path:
    """Lay out ``folder`` as MMAction2's checkout for ``script`` (relative to ``tools/data``); returns the
    script's link. ``tools`` and ``tools/data`` are real packages, so that no other ``tools`` on the path wins."""
    for package in (folder / 'tools', folder / 'tools' / 'data'):
        package.mkdir(parents=True, exist_ok=True)
        (package / '__init__.py').touch()
    for module in (*HELPERS, script):
        link = folder / 'tools' / 'data' / module
        if not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(data_tool(module))
    (folder / 'data').mkdir()
    (folder / 'data' / dataset).symlink_to(root.resolve(), target_is_directory=True)
    return folder / 'tools' / 'data' / script


def run_data_tool(script: str, args: Sequence[str], dataset: str, root: Path, cwd: str = '.') -> str:
    """Run MMAction2's ``tools/data/<script>`` with ``data/<dataset>`` = ``root``, from ``cwd`` of the shadow
    checkout (``.``: its root, as MMAction2's shell scripts ``cd`` there); returns what it printed. A failure is
    one :class:`AnnotationError` line with the tool's last words."""
    with tempfile.TemporaryDirectory(prefix='mmaction2_checkout_') as tmp:
        checkout = Path(tmp)
        tool = _shadow_checkout(checkout, script, dataset, Path(root))
        env = dict(
            os.environ, PYTHONPATH=os.pathsep.join([str(checkout), *filter(None, [os.environ.get('PYTHONPATH')])]))
        done = subprocess.run(
            [sys.executable, str(tool), *args],
            cwd=checkout / cwd,
            env=env,
            stdin=subprocess.DEVNULL,  # ffmpeg asked to overwrite a cut reads "no" and keeps it
            capture_output=True,
            text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ['(no output)'])[-1]
        raise AnnotationError(data_tool(script), f"MMAction2's tool stopped (exit {done.returncode}) on {root}: {last}")
    return done.stdout


def build_file_list(dataset: str, root: Path, subset: str) -> Path:
    """MMAction2's ``tools/data/build_file_list.py <dataset> data/<dataset>/videos/ --num-split 1 --level 1
    --subset <subset> --format videos``, as its ``generate_videos_filelist.sh`` runs it but without
    ``--shuffle`` (the lists stay in annotation order, the same on every run); writes and returns
    ``<root>/<dataset>_<subset>_list_videos.txt``."""
    run_data_tool('build_file_list.py', [
        dataset, f'data/{dataset}/videos/', '--num-split', '1', '--level', '1', '--subset', subset, '--format',
        'videos', '--out-root-path', 'data/'
    ], dataset, root)
    return Path(root) / f'{dataset}_{subset}_list_videos.txt'


def summarise(written: Path,
              listed: Sequence[Entry],
              missing_path: Optional[Path] = None,
              num_classes: Optional[int] = None,
              log=print) -> List[Entry]:
    """Read back a list an MMAction2 tool wrote, check every line (our strict reader), and report the
    annotation entries (``listed``) it left out for want of a video: to ``missing_path`` and one line.
    Returns the list's entries."""
    entries = read_video_list(written, num_classes=num_classes)
    bad = next((e for e in entries if e.error), None)
    if bad:
        raise AnnotationError(written, f'{bad.error}: {bad.text!r}', bad.lineno)
    present = {os.path.splitext(e.path)[0] for e in entries}  # MMAction2 matches a video by its name's stem
    missing = [e for e in listed if os.path.splitext(e.path)[0] not in present]
    log(f'wrote {written}: {len(entries)} videos, {len({e.label for e in entries})} classes')
    if missing_path is not None:
        write_missing(missing_path, missing, log)
    return entries


def write_missing(path: Path, missing: Iterable[Entry], log=print) -> None:
    """The listed entries without a video to ``path`` and one line (a stale ``path`` removed)."""
    missing = list(missing)
    if missing:
        write_lines(path, (e.line() for e in missing))
        log(f'  {len(missing)} listed video(s) missing on disk and left out; see {path} (first: {missing[0].path})')
    elif path.is_file():
        path.unlink()
