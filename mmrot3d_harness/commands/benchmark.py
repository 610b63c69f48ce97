"""``mmrot3d benchmark`` / ``python tools/benchmark.py``: the benchmark (options: ``benchmark/cli.py``)."""
import sys

from ..benchmark.devices import check_gpus_through_nvml


def main(argv=None):
    check_gpus_through_nvml()  # this process only starts jobs: before torch is imported
    from ..benchmark.cli import main as benchmark
    return benchmark(sys.argv[1:] if argv is None else argv)
