#!/usr/bin/env python
"""Mutation testing of the core modules: bash tests/mutation/run.sh [NAME ...] (it installs mutmut first).

Each target below is mutated by mutmut 3 in its own folder, ``work_dirs/mutation/NAME/`` (mutmut works on a
copy, ``mutants/``, so the checkout is never changed), and each mutant runs only the tests of the target's
test files that reach the mutated function (mutmut records which test calls which function in one clean run
first). Where a target names functions, only those are mutated.

Writes ``work_dirs/mutation/scores.md`` (the table printed at the end) and ``survivors.md`` (every surviving
mutant's diff). Survivors that no test can kill are listed, with the reason, in ``docs/mutation.md``; the
command exits 1 if a target scores under 90 % or a survivor is neither killed nor listed there.
"""
import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / 'work_dirs' / 'mutation'
EQUIVALENTS = ROOT / 'docs' / 'mutation.md'
MIN_SCORE = 0.90


@dataclass(frozen=True)
class Target:
    """``files`` to mutate, the ``tests`` that may kill their mutants, and optionally the only
    ``functions`` to mutate (``path:function`` or ``path:Class.method``)."""
    name: str
    files: Tuple[str, ...]
    tests: Tuple[str, ...]
    functions: Tuple[str, ...] = ()


TARGETS = (
    Target('structures', ('mmrot3d/structures/rotation.py', ),
           ('tests/structures/test_rotation_functions.py', 'tests/datasets/transforms/test_rotation.py')),
    Target('transform', ('mmrot3d/datasets/transforms/rotation.py', ),
           ('tests/datasets/transforms/test_rotation.py', )),
    Target('head', ('mmrot3d/models/heads/rotation_head.py', ), ('tests/models/test_rotation_head.py', )),
    Target('recognizer', ('mmrot3d/models/recognizers/rotation_recognizer.py', ),
           ('tests/models/test_rotation_recognizer_labels.py', )),
    Target('preprocessor', ('mmrot3d/models/data_preprocessors/crop_flip_data_preprocessor.py', ),
           ('tests/models/data_preprocessors/test_crop_flip_data_preprocessor.py', )),
    Target('accuracy', ('mmrot3d/evaluation/metrics/rotation_accuracy.py', ),
           ('tests/evaluation/test_rotation_accuracy.py', )),
    Target('plateau_stop', ('mmrot3d/engine/hooks/plateau_stop_hook.py', ),
           ('tests/engine/hooks/test_plateau_stop_hook.py', )),
    Target(
        'backbone_io', ('mmrot3d/models/backbone_io.py', 'mmrot3d/models/converters/layouts.py',
                        'mmrot3d/models/converters/torchvision_video_resnet.py'),
        ('tests/models/converters', 'tests/engine/hooks/test_pretrained_backbone_hook.py'),
        functions=tuple(f'mmrot3d/models/backbone_io.py:{f}'
                        for f in ('_load_file', 'read_backbone_file', 'check_backbone_state', 'misfit_hint',
                                  'load_backbone_weights')) +
        ('mmrot3d/models/converters/layouts.py:*', 'mmrot3d/models/converters/torchvision_video_resnet.py:*')),
    Target(
        'skip_rule', ('mmrot3d/datasets/robust_video_dataset.py', ), ('tests/reliability/test_skip_rule.py', ),
        functions=tuple(f'mmrot3d/datasets/robust_video_dataset.py:RobustVideoDataset.{m}'
                        for m in ('prepare_data', '__getitem__', '_record_bad', 'bad_counts', 'check_bad_fraction'))),
    Target(
        'bar', ('mmrot3d_harness/benchmark/synthetic_presets.py', ), ('tests/harness/benchmark/test_bar.py', ),
        functions=('mmrot3d_harness/benchmark/synthetic_presets.py:check_bar',
                   'mmrot3d_harness/benchmark/synthetic_presets.py:_at_least')),
    Target(
        'core_slots', ('mmrot3d_harness/benchmark/resources.py', ), ('tests/harness/benchmark/test_units.py', ),
        functions=('mmrot3d_harness/benchmark/resources.py:plan_resources',
                   'mmrot3d_harness/benchmark/resources.py:Resources.describe')),
)
# what the tests read from the checkout besides the packages and tests/ (linked into mutmut's copy, never copied)
CHECKOUT_FILES = ('configs', 'tools', 'performance', 'model-index.yml')


def mutant_glob(spec: str) -> str:
    """``path:Class.method`` -> the pattern of its mutants' names (mutmut's ``xǁClassǁmethod__mutmut_N``);
    ``path:*``: every function of the file."""
    path, _, function = spec.partition(':')
    module = path[:-len('.py')].replace('/', '.')
    if function == '*':
        return f'{module}.x*__mutmut_*'
    cls, _, name = function.rpartition('.')
    return f'{module}.{"xǁ" + cls + "ǁ" + name if cls else "x_" + name}__mutmut_*'


def prepare(target: Target) -> Path:
    """A fresh folder in which mutmut mutates ``target``: links to the checkout and a pyproject.toml of
    its own (the checkout's pytest settings, mutmut's settings for this target)."""
    work = OUT / target.name
    shutil.rmtree(work, ignore_errors=True)
    (work / 'mutants' / 'mmrot3d' / '.mim').mkdir(parents=True)
    for name in ('mmrot3d', 'mmrot3d_harness', 'tests'):
        (work / name).symlink_to(ROOT / name)
    # mutmut copies files, not the links of mmrot3d/.mim/ (shipped configs and tools): link them in its copy
    for name in CHECKOUT_FILES:
        (work / 'mutants' / name).symlink_to(ROOT / name)
        if name != 'performance':
            (work / 'mutants' / 'mmrot3d' / '.mim' / name).symlink_to(ROOT / name)
    pytest_options = tomllib.loads((ROOT / 'pyproject.toml').read_text())['tool']['pytest']['ini_options']
    mutmut = dict(
        source_paths=['mmrot3d', 'mmrot3d_harness'],
        only_mutate=list(target.files),
        pytest_add_cli_args_test_selection=list(target.tests),
        # pytest's unraisable-exception check runs gc.collect() twice per session: over torch's heap, in a fork,
        # that is most of a mutant's time
        pytest_add_cli_args=['-p', 'no:unraisableexception'],
        # torch is not fork-safe once it ran: every mutant forks from a server that only imported the tests
        process_isolation='forkserver',
        use_git_change_detection=False)
    lines = ['[tool.mutmut]'] + [f'{k} = {json.dumps(v)}' for k, v in mutmut.items()]
    lines += ['', '[tool.pytest.ini_options]'] + [f'{k} = {json.dumps(v)}' for k, v in pytest_options.items()]
    (work / 'pyproject.toml').write_text('\n'.join(lines) + '\n')
    return work


def run_target(target: Target, children: int) -> float:
    """Runs mutmut on ``target``; returns its wall time. Its output goes to ``NAME/mutmut.log``."""
    work = prepare(target)
    patterns = [mutant_glob(spec) for spec in target.functions]
    start = time.monotonic()
    with open(work / 'mutmut.log', 'w') as log:
        code = subprocess.call([sys.executable, '-m', 'mutmut', 'run', '--max-children',
                                str(children), *patterns],
                               cwd=work,
                               stdout=log,
                               stderr=subprocess.STDOUT)
    if code != 0:
        sys.exit(f'[mutation] mutmut failed on {target.name} (exit status {code}); see {work / "mutmut.log"}')
    return time.monotonic() - start


def results(target: Target) -> Dict[str, str]:
    """Mutant name -> mutmut's status (``killed``, ``survived``, ``timeout``, ...) for ``target``'s mutants."""
    from mutmut.stats import status_by_exit_code
    patterns = [mutant_glob(spec) for spec in target.functions]
    found = {}
    for path in target.files:
        meta = json.loads((OUT / target.name / 'mutants' / (path + '.meta')).read_text())
        for name, code in meta['exit_code_by_key'].items():
            if not patterns or any(fnmatch.fnmatchcase(name, p) for p in patterns):
                found[name] = status_by_exit_code[code]
    return found


def diff(target: Target, name: str) -> str:
    return subprocess.run([sys.executable, '-m', 'mutmut', 'show', name],
                          cwd=OUT / target.name,
                          capture_output=True,
                          text=True).stdout.strip()


def listed_equivalents() -> set:
    """The mutants ``docs/mutation.md`` lists as equivalent (each with its reason there)."""
    text = EQUIVALENTS.read_text() if EQUIVALENTS.exists() else ''
    return set(re.findall(r'`([\w.ǁ]+__mutmut_\d+)`', text))


def report(rows: List[Tuple], seconds: float) -> str:
    head = ('| target | files (functions) | mutants | killed | timeout | survived | listed equivalent | score |\n'
            '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    lines = [head]
    for target, counts in rows:
        what = ', '.join(f'`{f}`' for f in target.files)
        if target.functions:
            what += ' (' + ', '.join(s.partition(':')[2] for s in target.functions) + ')'
        lines.append(f'| {target.name} | {what} | {counts["mutants"]} | {counts["killed"]} | {counts["timeout"]} | '
                     f'{counts["survived"]} | {counts["equivalent"]} | {counts["score"]:.1%} |')
    load = os.getloadavg()[0]
    lines.append(f'\n{date.today().isoformat()}: {seconds / 60:.1f} min on {len(os.sched_getaffinity(0))} '
                 f'core(s), load average {load:.1f} at the end. Score: (killed + timeout) / mutants; a '
                 f'listed-equivalent survivor counts as not killed.')
    return '\n'.join(lines) + '\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('names', nargs='*', help='targets to run (default: all)')
    parser.add_argument('--list', action='store_true', help='print the targets and their tests, and stop')
    args = parser.parse_args()
    by_name = {t.name: t for t in TARGETS}
    if args.list:
        for t in TARGETS:
            print(f'{t.name}: {" ".join(t.files)} <- {" ".join(t.tests)}')
        return
    unknown = [n for n in args.names if n not in by_name]
    if unknown:
        parser.error(f'unknown target(s) {", ".join(unknown)}; known: {", ".join(by_name)}')
    targets = [by_name[n] for n in args.names] if args.names else list(TARGETS)
    children = len(os.sched_getaffinity(0))
    equivalent = listed_equivalents()
    rows, survivors, failed = [], [], []
    start = time.monotonic()
    for target in targets:
        seconds = run_target(target, children)
        status = results(target)
        count = {s: sum(v == s for v in status.values()) for s in ('killed', 'timeout', 'survived')}
        alive = sorted(n for n, s in status.items() if s not in ('killed', 'timeout'))
        count.update(mutants=len(status), equivalent=sum(n in equivalent for n in alive))
        count['score'] = (count['killed'] + count['timeout']) / max(1, len(status))
        rows.append((target, count))
        print(
            f'[mutation] {target.name}: {count["killed"] + count["timeout"]}/{len(status)} killed '
            f'({count["score"]:.1%}) in {seconds:.0f} s',
            flush=True)
        for name in alive:
            listed = name in equivalent
            survivors.append(f'## {name} ({status[name]}{", listed equivalent" if listed else ""})\n\n'
                             f'```diff\n{diff(target, name)}\n```\n')
            if not listed:
                failed.append(f'{name}: {status[name]}')
        if count['score'] < MIN_SCORE:
            failed.append(f'{target.name}: score {count["score"]:.1%} < {MIN_SCORE:.0%}')
    table = report(rows, time.monotonic() - start)
    (OUT / 'scores.md').write_text(table)
    (OUT / 'survivors.md').write_text('\n'.join(survivors) or 'No survivors.\n')
    print(table)
    if failed:
        print('[mutation] not killed and not listed in docs/mutation.md:\n  ' + '\n  '.join(failed))
        print(f'[mutation] their diffs: {OUT / "survivors.md"}')
        sys.exit(1)


if __name__ == '__main__':
    main()
