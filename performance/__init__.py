"""mmrot3d benchmark suite (issue 7): ``python -m performance.run --help``."""
