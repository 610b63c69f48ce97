"""mmrot3d benchmark suite (issue 7): ``python -m benchmarks.run --help``."""
