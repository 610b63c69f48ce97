"""tools/benchmark.py on a GPU machine, as a user runs it (performance/gpu_acceptance.py's
``benchmark_end_to_end``, also the GPU acceptance run's benchmark step): an official-layout HMDB51 tree, a
backbone saved by another codebase (a DDP-style state dict: --prefix theirs=module.backbone.), the real
fine-tuning configs made tiny by --cfg-options; with --launcher none (every job a ``python TOOL`` process on
a GPU of its own) and with --launcher pytorch --gpus 1 (every job under torchrun: NCCL, the model in DDP)."""
import pytest

from performance.gpu_acceptance import benchmark_end_to_end

pytestmark = [pytest.mark.gpu, pytest.mark.slow]  # slow: each run starts 6 jobs, each a fresh process


@pytest.mark.parametrize('launcher', ['none', 'pytorch'])
def test_benchmark_on_a_gpu(launcher, tmp_path):
    run = benchmark_end_to_end(tmp_path, launcher)
    assert run['returncode'] == 0, (tmp_path / 'benchmark.log').read_text()[-3000:]
    saved, work = run['results'], tmp_path / 'work'
    assert saved['settings']['launcher'] == launcher and len(saved['jobs']) == 6  # 2 x (fine-tune, test, frozen)
    for backbone in ('scratch', 'theirs'):
        result, = saved['finetune']['hmdb51'][backbone]['full']['runs']
        assert 0 <= result['top1'] <= 1
        assert 0 <= saved['frozen']['hmdb51'][backbone]['runs']['split1']['linear_probe_top1'] <= 1
    for name, job in saved['jobs'].items():
        log = (work / 'jobs' / name / 'job.log').read_text()
        assert 'GPU 0: ' in log, name  # MMEngine's environment record: the job saw a GPU
        if launcher == 'none':
            assert job['gpus'] == '0' and job['command'].startswith('CUDA_VISIBLE_DEVICES=0 ')
        else:
            assert 'torch.distributed.run' in job['command'] and job['command'].endswith('--launcher pytorch')
            assert 'Distributed training: True' in log, name
    train_log = (work / 'jobs' / 'finetune' / 'hmdb51' / 'theirs' / 'full' / 'split1' / 'seed0' / 'job.log').read_text()
    assert ' tensors into backbone from ' in train_log  # their backbone, loaded strictly
