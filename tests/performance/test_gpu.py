"""performance/gpu.py's CPU fallback (``--device cpu --smoke``): every section runs its real code path
(MMEngine optim wrappers, paired ratios, the tools/train.py subprocess on generated videos, the decord
pipeline) at tiny sizes and writes the report. Never asserts on speed, only on what was measured."""
import json

import pytest
import torch

from performance.gpu import main, ratio_settings


@pytest.mark.slow
def test_gpu_script_cpu_fallback_measures_every_section(tmp_path, capsys):
    threads = torch.get_num_threads()
    try:  # in this process; its train sections start tools/train.py processes, as on the GPU machine
        main(['--device', 'cpu', '--smoke', '--out', str(tmp_path)])
    finally:
        torch.set_num_threads(threads)  # the script sets 1 on a CPU
    stdout = capsys.readouterr().out
    assert 'ETA' in stdout
    report = json.loads((tmp_path / 'gpu.json').read_text())
    sections = report['sections']
    assert list(sections) == ['throughput', 'ratio', 'memory', 'train', 'train_device_aug', 'loader_cpu']
    for name, section in sections.items():
        assert 'error' not in section, f'{name}: {section.get("traceback")}'
    assert report['smoke'] is True and report['environment']['device'] == 'cpu'

    throughput = sections['throughput']
    rates = {r['variant']: r['clips_per_s'] for r in throughput['rows']}
    assert set(rates) == {
        'fp32', 'fp32+channels_last_3d', 'fp16', 'fp16+channels_last_3d', 'bf16', 'bf16+channels_last_3d'
    }
    assert all(rate > 0 for rate in rates.values()) and throughput['fastest'] in rates
    fp32 = next(r for r in throughput['rows'] if r['variant'] == 'fp32')
    assert fp32['loss_finite'] and fp32['vs_fp32'] == 1.0

    ratio = sections['ratio']['rows'][0]
    assert 'error' not in ratio, ratio['error']
    assert ratio['setting'] == throughput['fastest'].replace('bf16', 'fp16') and ratio['clock'] == 'cpu'
    assert ratio['ratio']['repeats'] == len(ratio['ratio']['ratios']) >= 2
    assert ratio['clips_per_s']['rotation'] > 0 and ratio['clips_per_s']['supervised'] > 0

    memory = sections['memory']['rows']
    assert [r['clips'] for r in memory] == [1, 2] and all(r['peak_mib'] > 0 for r in memory)

    train = sections['train']
    assert 'tools/train.py' in train['command'] and 'configs/rotnet3d_kinetics.py' in train['command']
    assert train['run']['returncode'] == 0 and not train['run']['stopped_at_wall_cap']
    summary = train['summary']
    assert summary['iterations_logged'] == train['max_iters']
    assert 0 <= summary['data_wait_share_all'] < 1 and summary['rotated_clips_per_s_steady'] > 0
    assert train['run']['workers_seen'] >= 1 and train['run']['worker_cpu_s'] > 0  # the loader worker was read
    assert 'Iter(train)' in (tmp_path / 'train.log').read_text()
    assert (tmp_path / 'train_scalars.json').is_file()

    device_aug = sections['train_device_aug']
    assert 'device-aug' in device_aug['command'] and device_aug['run']['returncode'] == 0
    assert device_aug['summary']['iterations_logged'] == device_aug['max_iters']
    assert (tmp_path / 'train_device_aug_scalars.json').is_file()

    loader = sections['loader_cpu']
    assert loader['cpu_ms_per_decoded_clip'] > 0
    assert {r['variant'] for r in loader['cores_per_gpu']} == set(rates)

    summary_md = (tmp_path / 'gpu.md').read_text()
    assert all(f'## {name}' in summary_md for name in sections) and 'FAILED' not in summary_md


def test_summary_keeps_what_a_failing_section_measured():
    # the GPU run happens once: a failed section or setting must not hide the numbers beside it
    from performance.gpu_report import markdown
    stats = dict(median=1.01, ci95=[0.99, 1.02], q1=1.0, q3=1.02, repeats=12)
    report = dict(
        command='python -m performance.gpu --out x',
        smoke=False,
        seconds={'ratio': 9.0},
        environment=dict(gpu='GPU', date='2026-01-01T00:00:00', torch='2', cores=16, cpu='cpu'),
        sections=dict(
            ratio=dict(
                description='ratios',
                rows=[
                    dict(setting='bf16', error='RuntimeError: no kernel'),
                    dict(
                        setting='fp32',
                        clips_per_step=128,
                        ratio=stats,
                        holds=True,
                        bar_met=True,
                        clips_per_s=dict(rotation=900.0, supervised=890.0))
                ]),
            memory=dict(error='OutOfMemoryError: boom', traceback='...'),
            train=dict(
                error='tools/train.py exited with 1',
                config='c.py',
                amp=True,
                batch_clips=32,
                videos=dict(count=256, size=[340, 256], frames=160, codec='mp4v'),
                log='train.log',
                max_iters=600,
                workers=14,
                cores=16,
                summary=dict(data_wait_share_steady=0.4),
                run=dict(wall_s=20.0, returncode=1, stopped_at_wall_cap=False))))
    text = markdown(report)
    assert 'RuntimeError: no kernel' in text and '| fp32 | 128 | 1.01 | 0.990-1.020 |' in text
    assert 'FAILED: `OutOfMemoryError: boom`' in text
    assert 'FAILED: `tools/train.py exited with 1`' in text and '| data wait share, steady state | 0.4 |' in text


def test_the_ratio_is_measured_at_the_fastest_setting_the_supervised_reference_trains_in():
    assert ratio_settings(('fp32', True)) == [('fp32', True), ('fp16', False), ('fp32', False)]
    assert ratio_settings(('fp16', False)) == [('fp16', False), ('fp32', False)]
    # MMAction2's I3DHead reads its scores with numpy, which has no bfloat16
    assert ratio_settings(('bf16', True)) == [('fp16', True), ('fp16', False), ('fp32', False)]
    assert ratio_settings(('bf16', False)) == [('fp16', False), ('fp32', False)]
