"""mmrot3d's performance suite: ``python -m performance.run --help``, ``python -m performance.gpu --help``."""
