"""``mmrot3d COMMAND [ARGS]`` (the console script) and ``python -m mmrot3d_harness COMMAND [ARGS]``: each
command is the tool ``tools/COMMAND.py`` of a checkout, with the same arguments."""
import importlib
import sys

from .commands import COMMANDS


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [f'  {name:<{width}}  {what}' for name, what in COMMANDS.items()]
    return '\n'.join(['usage: mmrot3d COMMAND [ARGS]   (mmrot3d COMMAND --help: its options)', '', 'commands:', *lines])


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ('-h', '--help'):
        print(usage())
        return 0 if argv else 2
    if argv[0] not in COMMANDS:
        sys.exit(f'error: mmrot3d {argv[0]}: no such command\n{usage()}')
    sys.argv = [f'mmrot3d {argv[0]}', *argv[1:]]  # argparse names the command in its usage line
    importlib.import_module(f'{__package__}.commands.{argv[0]}').main(argv[1:])
    return 0


if __name__ == '__main__':
    sys.exit(main())
