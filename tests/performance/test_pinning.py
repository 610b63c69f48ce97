"""The pinning measurement's round: the benchmark's CPU plan and launcher start one measuring job per core slot,
bound or left to the OS, and each job reports its seconds per step, its share of wall time on a CPU and the
cores it could run on. Never asserts on timings (the machines are shared and noisy); only that the jobs ran
where they were put and reported."""
import os

import pytest

from mmrot3d_harness.benchmark.resources import plan_resources
from performance.pinning import _round, write_videos


@pytest.mark.slow
def test_a_round_runs_one_measuring_job_per_core_slot(tmp_path):
    ids = sorted(os.sched_getaffinity(0))[:2]
    plan = plan_resources(len(ids), core_ids=ids)
    write_videos(tmp_path, 2)
    bound = _round(tmp_path / 'bound', plan.core_slots, bound=True, steps=1)
    assert [job['cores'] for job in bound] == [list(slot) for slot in plan.core_slots]
    floating = _round(tmp_path / 'floating', plan.core_slots, bound=False, steps=1)
    assert all(job['cores'] == sorted(os.sched_getaffinity(0)) for job in floating)
    assert all(job['step_s'] > 0 and job['cpu_share'] > 0 for job in bound + floating)
