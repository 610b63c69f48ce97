"""The benchmark's small parts: the thread/worker choice, progress and ETA, job arguments, aggregation."""
import io

import pytest

from mmrot3d_harness.benchmark.aggregate import finetune_table, mean_std, paired_gains, paired_to_reference
from mmrot3d_harness.benchmark.backbone_files import Backbone, parse_pairs
from mmrot3d_harness.benchmark.jobs import Deferred, Job, read_result
from mmrot3d_harness.benchmark.resources import plan_gpu_resources, plan_resources
from mmrot3d_harness.benchmark.synthetic_presets import DEMO, TINY, finetune_options, iteration_options
from mmrot3d_harness.progress import Progress, log_progress


@pytest.mark.parametrize(
    'cores, cap, expected',
    [
        (1, None, (1, 1, 0)),  # one job, one thread, decoding in the training thread
        (2, None, (2, 1, 0)),  # two single-thread jobs side by side (no worker: it would oversubscribe)
        (8, None, (8, 1, 0)),
        (2, 1, (1, 2, 0)),  # --jobs 1: the job gets both cores as threads
        (8, 2, (2, 3, 1)),  # 4 cores per job: 3 threads + 1 loader worker
        (3, 1, (1, 2, 1)),  # 3 cores are enough for a worker
        (8, 1, (1, 7, 1)),
    ])
def test_thread_and_worker_choice_never_oversubscribes(cores, cap, expected):
    r = plan_resources(cores, max_jobs=cap)
    assert (r.jobs, r.threads, r.workers) == expected
    assert r.jobs * (r.threads + r.workers) <= cores
    assert f'{r.jobs} concurrent job(s) x {r.threads} torch thread(s)' in r.describe()


def test_each_concurrent_job_gets_cores_of_its_own():
    assert plan_resources(4, core_ids=[0, 2, 5, 7]).core_slots == ((0, ), (2, ), (5, ), (7, ))
    assert plan_resources(8, max_jobs=2, core_ids=range(8)).core_slots == ((0, 1, 2, 3), (4, 5, 6, 7))
    assert plan_resources(5, max_jobs=2, core_ids=range(5)).core_slots == ((0, 1), (2, 3))  # as threads + workers
    assert plan_resources(2).core_slots == ()  # ids unknown (not Linux): the OS places the jobs
    assert 'each on cores of its own' in plan_resources(2, core_ids=[0, 1]).describe()
    with pytest.raises(ValueError, match='3 core ids for 2 cores'):
        plan_resources(2, core_ids=[0, 1, 2])


def test_the_split_in_words():
    assert plan_resources(
        4, max_jobs=1).describe() == ('4 core(s) available: 1 concurrent job(s) x 3 torch thread(s) '
                                      '+ 1 loader worker(s) each')
    assert plan_resources(
        2, core_ids=[0, 1]).describe() == ('2 core(s) available: 2 concurrent job(s) x 1 torch '
                                           'thread(s) + 0 loader worker(s) each, each on cores of '
                                           'its own')
    tail = 'torch thread(s) per process, loader workers as the configs set them'
    assert plan_gpu_resources(8, ['0', '1', '2', '3'], 2).describe() == ('8 core(s) available: 2 job(s) at a time on '
                                                                         f'GPU(s) 0,1 | 2,3, 4 {tail}')
    assert plan_gpu_resources(4, [], 1).describe() == f'4 core(s) available: 1 job(s) at a time, 4 {tail}'


def test_log_progress_reads_mmengine_lines(tmp_path):
    log = tmp_path / 'job.log'
    log.write_text('11/30 - mmengine - INFO - Iter(train) [ 40/600]  lr: 1e-3\n'
                   '11/30 - mmengine - INFO - Iter(train) [ 60/600]  lr: 1e-3\n')
    assert log_progress(log, 600) == 60
    log.write_text('Epoch(train)   [3][ 7/12]  lr\nEpoch(val) [3][2/2] acc\n')
    assert log_progress(log, 150 * 12) == 2 * 12 + 7
    assert log_progress(tmp_path / 'missing.log', 10) == 0


def test_eta_from_measured_rates():
    out = io.StringIO()
    p = Progress('demo', priors=dict(finetune=1.0), stream=out)
    assert p.eta([('finetune', 100)], [], slots=2) == 50.0  # prior: 1 s per iteration
    p.record('finetune', seconds=60.0, units=300)  # measured: 0.2 s per iteration
    assert p.eta([('finetune', 600)], [('finetune', 30.0, 100, 600)], slots=2) == pytest.approx((120 + 100) / 2)
    assert p.eta([('unknown', 5)], [], slots=1) is None
    p.say('started x', 3, 10, eta=125)
    assert out.getvalue().startswith('[demo 3/10 jobs | 0:00 elapsed, ETA 2:05] started x')


def test_deferred_arguments(tmp_path):
    job = Job('test/a', 'test', tmp_path, 'tools/test.py',
              ['cfg.py', Deferred('finetune/a', '<last checkpoint>', lambda r: [r['checkpoint']]), '--x'])
    assert job.argv({}, dry_run=True) == ['cfg.py', '<last checkpoint>', '--x']
    assert job.argv({'finetune/a': dict(checkpoint='/w/iter_9.pth')}) == ['cfg.py', '/w/iter_9.pth', '--x']


def test_budget_options():
    assert iteration_options(600) == [
        'train_cfg.max_iters=600', 'train_cfg.val_interval=600', 'param_scheduler.0.end=60',
        'param_scheduler.1.begin=60', 'param_scheduler.1.end=600'
    ]
    assert finetune_options(DEMO) == []  # the config's own cap and validation interval
    assert finetune_options(TINY) == ['train_cfg.max_iters=4', 'train_cfg.val_interval=2']


def test_where_a_run_stopped_and_why():
    from mmrot3d_harness.benchmark.aggregate import stopping
    curve = [[100, 0.2], [200, 0.5], [300, 0.5], [400, 0.4], [500, 0.45]]
    assert stopping(dict(val_curve=curve, last_step=500, job=dict(units=3000))) == dict(
        val_curve=curve, best_step=200, best_val_top1=0.5, stopped_at=500, stop_reason='plateau')
    assert stopping(dict(val_curve=curve, last_step=500, job=dict(units=500)))['stop_reason'] == 'cap'
    assert stopping(dict(val_curve=[], last_step=400, job=dict(units=400))) == {}  # never validated


def test_aggregation_over_splits_and_seeds():
    results = {
        f'test/ucf101/mine/full/split{s}/seed{k}': {
            'acc/top1': 0.1 * s + 0.01 * k,
            'acc/top5': 1.0,
            'acc/mean1': 0.5
        }
        for s in (1, 2, 3)
        for k in (0, 1)
    }
    table = finetune_table(results)['ucf101']['mine']['full']
    assert [(r['split'], r['seed']) for r in table['runs']] == [(s, k) for s in (1, 2, 3) for k in (0, 1)]
    assert table['summary']['top1']['n'] == 6 and table['summary']['top1']['mean'] == pytest.approx(0.205)
    assert table['per_split']['2']['mean'] == pytest.approx(0.205)
    assert mean_std([0.5, 0.7])['std'] == pytest.approx(0.1414, abs=1e-4) and mean_std([0.3])['std'] == 0.0


def test_gains_over_the_random_init_are_paired_by_split_and_seed():
    from mmrot3d_harness.benchmark.report import gain_lines
    top1 = {  # split 2 is hard for everyone: pairing takes it out of the gain's spread
        'scratch': {(1, 0): .50, (2, 0): .20, (3, 0): .55, (1, 1): .52},
        'mine': {(1, 0): .60, (2, 0): .30, (3, 0): .60, (1, 1): .60, (2, 1): .35},  # (2, 1): scratch has no run
        'scratch-x3d': {(1, 0): .40},
        'theirs': {(1, 0): .38},
    }
    results = {
        f'test/ucf101/{b}/full/split{s}/seed{k}': {
            'acc/top1': v
        }
        for b, runs in top1.items()
        for (s, k), v in runs.items()
    }
    backbones = [
        Backbone('scratch', architecture='r3d18'),
        Backbone('mine', path='m.pth', architecture='r3d18'),
        Backbone('scratch-x3d', architecture='x3d'),
        Backbone('theirs', path='t.pth', architecture='x3d')
    ]
    gains = paired_gains(finetune_table(results), backbones)['ucf101']
    assert set(gains) == {'mine', 'theirs'}
    mine = gains['mine']['full']
    assert mine['baseline'] == 'scratch' and mine['n'] == 4 and mine['ahead'] == 4
    assert mine['mean'] == pytest.approx(0.0825) and mine['std'] == pytest.approx(0.0236, abs=1e-4)
    assert mine['ci95'] == pytest.approx([0.0825 - 3.1824 * 0.0236 / 2, 0.0825 + 3.1824 * 0.0236 / 2], abs=1e-3)
    theirs = gains['theirs']['full']
    assert theirs['baseline'] == 'scratch-x3d' and theirs['n'] == 1 and theirs['ahead'] == 0 and theirs['ci95'] is None
    res = dict(dataset_titles={'ucf101': 'UCF101'}, backbone_order=list(top1), finetune_gain=dict(ucf101=gains))
    lines = gain_lines(res)
    assert '| mine | scratch | +8.2 ± 2.4; 95 % CI +4.5 to +12.0; ahead in 4/4 |' in lines
    assert '| theirs | scratch-x3d | -2.0; ahead in 0/1 |' in lines


def test_name_value_pairs():
    assert parse_pairs(['a=x.pth', 'b=y=z'], '--backbone') == {'a': 'x.pth', 'b': 'y=z'}
    with pytest.raises(ValueError, match='expected NAME=VALUE'):
        parse_pairs(['x.pth'], '--backbone')
    with pytest.raises(ValueError, match='a given twice'):
        parse_pairs(['a=1', 'a=2'], '--prefix')


def test_results_md_is_laid_out_like_the_papers_table():
    from mmrot3d_harness.benchmark.aggregate import frozen_table
    from mmrot3d_harness.benchmark.report import markdown
    results = {}
    for d in ('ucf101', 'hmdb51'):
        for b, base in (('scratch', 0.4), ('rotnet3d', 0.6)):
            for s in (1, 2, 3):
                results[f'test/{d}/{b}/full/split{s}/seed0'] = {
                    'acc/top1': base + 0.01 * s,
                    'acc/top5': 0.9,
                    'acc/mean1': base
                }
            results[f'test/{d}/{b}/frac0.1/split1/seed0'] = {'acc/top1': base / 2, 'acc/top5': 0.5, 'acc/mean1': 0.2}
            results[f'frozen/{d}/{b}'] = {
                f'split{s}': {
                    **{
                        f'retrieval_R_at_{k}': base
                        for k in (1, 5, 10, 20, 50)
                    }, 'linear_probe_top1': base
                }
                for s in (1, 2, 3)
            }
    res = dict(
        dataset_titles={
            'ucf101': 'UCF101',
            'hmdb51': 'HMDB51'
        },
        backbone_order=['scratch', 'rotnet3d'],
        settings=dict(splits=[1, 2, 3], seeds=[0]),
        finetune=finetune_table(results),
        frozen=frozen_table(results),
        resources=dict(cores=2),
        timing=dict(total_seconds=60, data_seconds=0, jobs={}))
    md = markdown(res).splitlines()
    top = md.index('| backbone | UCF101 | HMDB51 |')
    assert md[top + 2:top + 4] == ['| scratch | 42.0 ± 1.0 | 42.0 ± 1.0 |', '| rotnet3d | 62.0 ± 1.0 | 62.0 ± 1.0 |']
    assert '| rotnet3d | HMDB51 | 60.0 ± 0.0 | 60.0 ± 0.0 | 60.0 ± 0.0 | 60.0 ± 0.0 | 60.0 ± 0.0 | 60.0 ± 0.0 |' in md
    assert '| backbone | frac0.1 | full |' in md and '| rotnet3d | 30.0 | 62.0 ± 1.0 |' in md


def test_extra_evaluations_get_a_table():
    from mmrot3d_harness.benchmark.report import evaluation_lines
    res = dict(
        evaluations={
            'actor_share': {
                'actor_share/synthetic/rotnet3d': {
                    'share': 0.61,
                    'note': 'x'
                },
                'actor_share/synthetic/scratch': {
                    'share': 0.2
                }
            }
        })
    assert evaluation_lines(res)[:6] == [
        '## actor_share', '', '| dataset / backbone | share |', '| --- | --- |', '| synthetic/rotnet3d | 0.61 |',
        '| synthetic/scratch | 0.2 |'
    ]


def test_critical_path_goes_first(tmp_path):
    from mmrot3d_harness.benchmark.launch import Launcher
    from mmrot3d_harness.benchmark.resources import plan_resources
    from mmrot3d_harness.benchmark.scheduler import Scheduler
    jobs = [
        Job('finetune/scratch', 'finetune', tmp_path / 'a', 'tools/train.py', units=300),
        Job('pretrain/rotnet3d', 'pretrain', tmp_path / 'b', 'tools/train.py', units=800),
        Job('finetune/rotnet3d', 'finetune', tmp_path / 'c', 'tools/train.py', units=300, after=['pretrain/rotnet3d']),
        Job('test/scratch', 'test', tmp_path / 'd', 'tools/test.py', units=600, after=['finetune/scratch'])
    ]
    progress = Progress('t', priors=dict(pretrain=0.6, finetune=0.25, test=0.25), stream=io.StringIO())
    s = Scheduler(Launcher(), progress, plan_resources(1))
    s.chain = s._chain_lengths(jobs)
    s.pending, s.results = list(jobs), {}
    assert [j.name for j in s._ready()] == ['pretrain/rotnet3d', 'finetune/scratch']
    assert s.chain['pretrain/rotnet3d'] == pytest.approx(800 * 0.6 + 300 * 0.25)


def test_a_finished_job_with_other_arguments_is_refused_not_reused(tmp_path):
    from mmrot3d_harness.benchmark.jobs import write_json_atomic
    from mmrot3d_harness.benchmark.launch import Launcher
    from mmrot3d_harness.benchmark.resources import plan_resources
    from mmrot3d_harness.benchmark.scheduler import JobFailed, Scheduler
    done = Job('pretrain/rotnet3d', 'pretrain', tmp_path / 'p', 'tools/train.py', ['a.py', '--cfg-options', 'x=1'])
    write_json_atomic(done.result_path, dict(val={}, job=dict(kind='pretrain', signature=done.signature(), seconds=1)))
    progress = Progress('t', priors={}, stream=io.StringIO())
    again = Job('pretrain/rotnet3d', 'pretrain', tmp_path / 'p', 'tools/train.py', ['a.py', '--cfg-options', 'x=1'])
    assert Scheduler(Launcher(), progress, plan_resources(1)).run([again]) == {again.name: read_result(again)}
    changed = Job('pretrain/rotnet3d', 'pretrain', tmp_path / 'p', 'tools/train.py', ['b.py', '--cfg-options', 'x=1'])
    with pytest.raises(JobFailed, match='finished earlier with other arguments'):
        Scheduler(Launcher(), progress, plan_resources(1)).run([changed])


def test_a_random_init_for_each_architecture_and_input_and_each_input_its_configs():
    from types import SimpleNamespace

    from mmrot3d_harness.benchmark.backbone_files import scratch_baselines
    from mmrot3d_harness.benchmark.labelled_sets import synthetic, ucf101
    archs = SimpleNamespace(names=['r3d18', 'r3d18-torchvision'])
    pretrained = [
        Backbone('a', architecture='r3d18'),
        Backbone('b', architecture='r3d18', input='residual(step=1)'),
        Backbone('c', architecture='r3d18-torchvision')
    ]
    assert [(b.name, b.architecture, b.input) for b in scratch_baselines(pretrained, archs)
            ] == [('scratch', 'r3d18', 'rgb'), ('scratch-residual', 'r3d18', 'residual(step=1)'),
                  ('scratch-r3d18-torchvision', 'r3d18-torchvision', 'rgb')]
    assert synthetic().config_path(1, input_kind='residual(step=1)').endswith('synthetic-ucf-split1-residual.py')
    assert ucf101().config_path(2, 'r3d18', 'residual(step=1)').endswith('150e_ucf101-split2-residual.py')
    with pytest.raises(ValueError, match='no fine-tuning config for r3d18-torchvision on residual'):
        ucf101().config_path(1, 'r3d18-torchvision', 'residual(step=1)')


def test_gains_pair_a_backbone_with_the_random_init_of_its_input():
    runs = lambda *top1: dict(full=dict(runs=[dict(split=1, seed=s, top1=t) for s, t in enumerate(top1)]))  # noqa
    finetune = dict(d=dict(scratch=runs(0.5, 0.5), **{'scratch-residual': runs(0.3, 0.3)}, res=runs(0.4, 0.4)))
    backbones = [
        Backbone('scratch', architecture='r3d18'),
        Backbone('res', 'x.pth', architecture='r3d18', input='residual(step=1)'),
        Backbone('scratch-residual', architecture='r3d18', input='residual(step=1)')
    ]
    gain = paired_gains(finetune, backbones)['d']['res']['full']
    assert gain['baseline'] == 'scratch-residual' and gain['mean'] == pytest.approx(0.1)


def test_variants_are_paired_against_the_first_pretrained_backbone_of_their_architecture():
    from mmrot3d_harness.benchmark.report import reference_lines
    runs = lambda *top1: dict(full=dict(runs=[dict(split=1, seed=s, top1=t) for s, t in enumerate(top1)]))  # noqa
    finetune = dict(
        d=dict(
            scratch=runs(0.1, 0.1),
            main=runs(0.5, 0.6),
            res=runs(0.7, 0.7),
            rrc=runs(0.4, 0.7),
            **{
                'scratch-x3d': runs(0.2, 0.2),
                'x3d-only': runs(0.3, 0.3)
            }))
    backbones = [
        Backbone('scratch', architecture='r3d18'),
        Backbone('main', 'm.pth', architecture='r3d18'),
        Backbone('res', 'r.pth', architecture='r3d18', input='residual(step=1)'),
        Backbone('rrc', 'c.pth', architecture='r3d18'),
        Backbone('scratch-x3d', architecture='x3d'),
        Backbone('x3d-only', 'x.pth', architecture='x3d'),
    ]
    pairs = paired_to_reference(finetune, backbones)['d']
    assert set(pairs) == {'res', 'rrc'}  # the reference itself and an architecture's only backbone: no row
    assert pairs['res']['full']['baseline'] == 'main' and pairs['res']['full']['mean'] == pytest.approx(0.15)
    assert pairs['rrc']['full']['mean'] == pytest.approx(0.0) and pairs['rrc']['full']['ahead'] == 1
    res = dict(
        dataset_titles={'d': 'D'}, backbone_order=[b.name for b in backbones], finetune_vs_reference=dict(d=pairs))
    lines = reference_lines(res)
    assert lines[0] == '## Fine-tuned difference to the reference backbone (top-1 points)'
    assert '| backbone | reference | D |' in lines
    assert '| res | main | +15.0 ± 7.1; 95 % CI -48.5 to +78.5; ahead in 2/2 |' in lines


def test_a_named_reference_replaces_the_first_pretrained_backbone_and_gets_no_row():
    runs = lambda *top1: dict(full=dict(runs=[dict(split=1, seed=s, top1=t) for s, t in enumerate(top1)]))  # noqa
    finetune = dict(d=dict(bars=runs(0.5, 0.5), guard=runs(0.6, 0.7), logo=runs(0.3, 0.3), logo_guard=runs(0.6, 0.6)))
    backbones = [
        Backbone('bars', 'b.pth', architecture='r3d18', reference='guard'),
        Backbone('guard', 'g.pth', architecture='r3d18'),
        Backbone('logo', 'l.pth', architecture='r3d18', reference='logo_guard'),
        Backbone('logo_guard', 'lg.pth', architecture='r3d18'),
    ]
    pairs = paired_to_reference(finetune, backbones)['d']
    assert {name: p['full']['baseline'] for name, p in pairs.items()} == {'bars': 'guard', 'logo': 'logo_guard'}
    assert pairs['bars']['full']['mean'] == pytest.approx(-0.15) and pairs['logo']['full']['mean'] == pytest.approx(
        -0.3)


def test_a_count_progress_line_is_what_the_benchmark_reads_a_jobs_progress_from(tmp_path):
    from mmrot3d_harness.progress import CountProgress
    stream = io.StringIO()
    counter = CountProgress('frozen features', 40, 'videos', stream=stream)
    counter(10, 40)
    counter(11, 40)  # within a second of the last line: not printed
    counter(40, 40)  # the last item always is
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith('[frozen features 10/40 videos | 0:00 elapsed, ETA ')
    (tmp_path / 'job.log').write_text(stream.getvalue())
    assert log_progress(tmp_path / 'job.log', 40) == 40
