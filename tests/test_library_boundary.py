"""``import mmrot3d`` registers components and nothing else: no module of the library starts a process or runs
a script (the benchmark's jobs, the data generator and the performance suite live beside it, in
``mmrot3d_harness/`` and ``performance/``), and importing it loads none of those. Its imports run one way: a
subpackage imports only from the layers below it, and nothing in it imports the harness."""
import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
LIBRARY = CHECKOUT / 'mmrot3d'
# What starts a process or runs a file as code. Threads are fine, and so are multiprocessing's shared-memory
# objects (RobustVideoDataset shares its bad-video record between loader workers with mp.Lock / mp.RawArray).
PROCESS_MODULES = ('subprocess', 'runpy', 'pty', 'multiprocessing.pool', 'multiprocessing.popen_fork',
                   'multiprocessing.popen_spawn_posix', 'multiprocessing.forkserver', 'concurrent.futures.process')
PROCESS_NAMES = ('os.fork', 'os.forkpty', 'os.system', 'os.popen', 'os.posix_spawn', 'os.posix_spawnp',
                 'multiprocessing.Process', 'multiprocessing.Pool', 'multiprocessing.get_context',
                 'multiprocessing.set_start_method', 'concurrent.futures.ProcessPoolExecutor',
                 'torch.multiprocessing.spawn', 'torch.multiprocessing.start_processes',
                 'importlib.util.spec_from_file_location', 'importlib.machinery.SourceFileLoader')
PROCESS_PREFIXES = ('os.exec', 'os.spawn')
# The subpackages whose import registers components (and the helpers they use).
REGISTERING = {'datasets', 'engine', 'evaluation', 'models', 'registry', 'structures', 'utils'}
# The library's layers, bottom first: a subpackage imports only from those of the layers below its own.
LAYERS = [{'structures', 'utils', 'registry'}, {'datasets', 'models'}, {'evaluation'}, {'engine'}, {'apis'},
          {'visualization'}]


def _is_process_name(name: str) -> bool:
    return (name in PROCESS_NAMES or name.startswith(PROCESS_PREFIXES)
            or any(name == m or name.startswith(m + '.') for m in PROCESS_MODULES))


def process_uses(source: str) -> List[str]:
    """``LINE: name`` of every import or attribute in ``source`` that starts a process or runs a file."""
    found, aliases = [], {}  # local name -> the module (or object) it stands for
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split('.')[0]] = alias.name if alias.asname else \
                    alias.name.split('.')[0]
                if _is_process_name(alias.name):
                    found.append(f'{node.lineno}: import {alias.name}')
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                name = f'{node.module}.{alias.name}'
                aliases[alias.asname or alias.name] = name
                if _is_process_name(node.module) or _is_process_name(name):
                    found.append(f'{node.lineno}: from {node.module} import {alias.name}')
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            parts, value = [node.attr], node.value
            while isinstance(value, ast.Attribute):
                parts.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in aliases:
                name = '.'.join([aliases[value.id], *reversed(parts)])
                if _is_process_name(name):
                    found.append(f'{node.lineno}: {name}')
    return found


@pytest.mark.parametrize(
    'source, flagged',
    [
        ('import subprocess\nsubprocess.run(["ls"])', True),
        ('from subprocess import Popen', True),
        ('import runpy', True),
        ('import multiprocessing as mp\nmp.get_context("fork").Pool(2)', True),
        ('from multiprocessing import get_context', True),
        ('import os\nos.execv("/bin/true", [])', True),
        ('from concurrent.futures import ProcessPoolExecutor', True),
        ('import importlib.util\nimportlib.util.spec_from_file_location("x", "x.py")', True),
        ('import torch.multiprocessing as tmp\ntmp.spawn(f)', True),
        ('import multiprocessing as mp\nlock, shared = mp.Lock(), mp.RawArray("b", 4)', False),
        ('from concurrent.futures import ThreadPoolExecutor', False),
        ('import os\nos.environ.get("RANK")', False),
    ],
)
def test_the_scan_tells_processes_from_threads_and_shared_memory(source, flagged):
    assert bool(process_uses(source)) == flagged, process_uses(source)


def imported_subpackages(relpath: Path, source: str) -> List[str]:
    """``LINE: name`` of every ``mmrot3d`` subpackage (or ``mmrot3d_harness``) that the module at ``relpath`` (under
    ``mmrot3d/``) imports, relatively or absolutely."""
    package, found = list(relpath.parts[:-1]), []
    for node in ast.walk(ast.parse(source)):
        modules = []
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            words = base + (node.module.split('.') if node.module else [])
            modules = [words] if words else [[alias.name] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module.split('.')]
        elif isinstance(node, ast.Import):
            modules = [alias.name.split('.') for alias in node.names]
        for words in modules:
            if words[0] == 'mmrot3d_harness':
                found.append(f'{node.lineno}: mmrot3d_harness')
            elif node.__class__ is ast.ImportFrom and node.level or words[0] == 'mmrot3d':
                name = words[0] if node.__class__ is ast.ImportFrom and node.level else (words[1:] or [''])[0]
                found.append(f'{node.lineno}: {name}')
    return found


def layering_violations(relpath: Path, source: str) -> List[str]:
    """The imports of the module at ``relpath`` that run up or sideways through :data:`LAYERS`."""
    own = relpath.parts[0] if len(relpath.parts) > 1 else relpath.stem
    level = next((i for i, layer in enumerate(LAYERS) if own in layer), None)
    below = set().union(*LAYERS[:level]) if level is not None else set().union(*LAYERS)
    return [
        line for line in imported_subpackages(relpath, source)
        if line.split(': ')[1] != own and line.split(': ')[1] not in below and line.split(': ')[1] != ''
    ]


@pytest.mark.parametrize(
    'relpath, source, bad',
    [
        ('utils/x.py', 'from ..datasets import video_list', True),
        ('utils/x.py', 'from mmrot3d.models import FeatureExtractor', True),
        ('models/x.py', 'from ..datasets.checks import ConfigError', True),  # same layer, another subpackage
        ('models/heads/x.py', 'from ...structures import rotation', False),
        ('models/x.py', 'from mmrot3d_harness import progress', True),
        ('apis/x.py', 'from ..engine.hooks import channels_last_hook', False),
        ('utils/x.py', 'from .atomic_io import write_text_atomic', False),
    ])
def test_the_layering_scan_finds_imports_that_run_up(relpath, source, bad):
    assert bool(layering_violations(Path(relpath), source)) == bad, layering_violations(Path(relpath), source)


def test_the_library_imports_run_one_way_and_never_into_the_harness():
    found = {}
    for path in sorted(LIBRARY.rglob('*.py')):
        relpath = path.relative_to(LIBRARY)
        if '.mim' not in relpath.parts:
            bad = layering_violations(relpath, path.read_text())
            if bad:
                found[str(relpath)] = bad
    assert not found, found


def test_no_library_module_starts_a_process_or_runs_a_script():
    found: Dict[str, List[str]] = {}
    for path in sorted(LIBRARY.rglob('*.py')):
        if '.mim' not in path.relative_to(LIBRARY).parts:
            uses = process_uses(path.read_text())
            if uses:
                found[str(path.relative_to(CHECKOUT))] = uses
    assert not found, found


def test_import_mmrot3d_loads_no_tool_orchestration_or_generator():
    code = ('import json, sys\n'
            'import mmrot3d\n'
            'print(json.dumps({name: getattr(module, "__file__", None) for name, module in sys.modules.items()}))')
    run = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=CHECKOUT, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    loaded = json.loads(run.stdout.strip().splitlines()[-1])
    # the checkout's own files beside the library: the virtualenv may live in the checkout (tools/env.sh puts it
    # there) and what it installed is not ours; some modules' __file__ is a bare name (torch.ops), not a path
    installed = Path(sys.prefix).resolve()
    files = {name: Path(file).resolve() for name, file in loaded.items() if file and Path(file).is_absolute()}
    beside = {
        name
        for name, file in files.items()
        if file.is_relative_to(CHECKOUT) and not file.is_relative_to(LIBRARY) and not file.is_relative_to(installed)
    }
    outside = {
        name: file
        for name, file in loaded.items()
        if name.split('.')[0] in ('mmrot3d_harness', 'tools', 'performance') or name in beside
    }
    assert not outside, outside
    ours = {name.split('.')[1] for name in loaded if name.startswith('mmrot3d.')}
    assert ours <= REGISTERING, ours - REGISTERING
    assert {'mmrot3d.models', 'mmrot3d.datasets', 'mmrot3d.engine', 'mmrot3d.evaluation'} <= set(loaded)
