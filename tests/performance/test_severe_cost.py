"""performance/severe_cost.py: the steps and clips of SEVERE's jobs from the configs, the saved activations of one
clip, and the GPU-hours line once a GPU's step time is in the report."""
import pytest

from performance import severe_cost


def test_steps_and_clips_follow_the_configs():
    rows = {r['preset']: r for r in severe_cost.plan_rows()}
    ucf = rows['ucf101-severe']
    assert ucf['pretrained']['steps'] == 160 * (9537 // 32) and ucf['scratch']['steps'] == 200 * (9537 // 32)
    assert ucf['pretrained']['test_clips'] == 10 * 3783 and ucf['jobs'] == 4
    assert rows['sthv2']['pretrained']['steps'] == 44 * (168913 // 32)
    assert rows['ucf101-1000']['scratch']['config'] == rows['ucf101-1000']['pretrained']['config']  # no own recipe
    assert rows['charades']['pretrained']['steps'] == 57 * -(-7985 // 16)  # batch 16, no drop_last
    assert rows['charades']['pretrained']['test_clips'] == 30 * 1863  # 10 clips x 3 crops


def test_saved_activations_grow_with_the_clip():
    model = severe_cost.build_model('cpu')
    small, double = (severe_cost.saved_activation_bytes(model, frames=t, size=32) for t in (4, 8))
    assert 0 < small and 1.8 < double / small < 2.2


@pytest.mark.parametrize('gpu',
                         [None, dict(fp32=dict(s_per_step=0.5, peak_allocated_gib=40.0, peak_reserved_gib=42.0))])
def test_the_report_says_gpu_hours_only_when_measured(gpu):
    row = dict(
        preset='fx-s1',
        train_videos=1882,
        test_videos=777,
        jobs=4,
        pretrained=dict(steps=10440, train_clips=334080, test_clips=7770),
        scratch=dict(steps=10440))
    text = severe_cost.markdown(dict(plan=[row], activation_mib=957.0, note='n', gpu=gpu))
    assert ('GPU-hours' in text) == bool(gpu)
    if gpu:
        assert '| fx-s1 | 1882 / 777 | 4 | 10440; 10440 | 334080 | 7770 | 2.9 |' in text  # 20880 x 0.5 s
