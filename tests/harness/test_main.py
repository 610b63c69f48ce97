"""``mmrot3d COMMAND``: every tool of tools/ by name, with the same arguments."""
import pytest

from mmrot3d.utils.shipped_files import shipped_path
from mmrot3d_harness.__main__ import main
from mmrot3d_harness.commands import COMMANDS


def test_every_tool_script_is_a_command_and_every_command_a_tool_script():
    scripts = {p.stem for p in shipped_path('tools').glob('*.py')}
    assert set(COMMANDS) == scripts


def test_a_command_runs_its_tool_and_an_unknown_one_is_refused_with_the_list(capsys):
    with pytest.raises(SystemExit) as stop:
        main(['train', '--help'])
    assert stop.value.code == 0 and 'usage: mmrot3d train' in capsys.readouterr().out
    with pytest.raises(SystemExit, match='mmrot3d trian: no such command'):
        main(['trian'])
    assert main(['--help']) == 0 and 'audit_pretext' in capsys.readouterr().out
