"""The main job end to end at tiny sizes: generate -> pretrain -> select -> fine-tune both arms -> test
-> frozen features -> results.json + figure (numbers are meaningless at this size)."""
import json

from mmrot3d.benchmark.demo import main


def test_demo_tiny_end_to_end(tmp_path):
    work, data = tmp_path / 'work', tmp_path / 'data'
    results = main(['--tiny', '--work-dir', str(work), '--data-root', str(data), '--splits', '1', '--frozen-splits',
                    '1', '--workers', '1'])
    saved = json.loads((work / 'results.json').read_text())
    assert (work / 'results.png').stat().st_size > 10_000
    assert (data / 'contact_sheet.png').is_file()
    for key in ('dataset', 'settings', 'data', 'pretrain', 'selection', 'finetune', 'frozen', 'bar', 'stage_seconds',
                'total_seconds'):
        assert key in saved, key
    pre = saved['pretrain']
    assert set(pre['rotation_held_out']) >= {'top1', 'acc_0deg', 'acc_90deg', 'acc_180deg', 'acc_270deg'}
    assert 'rotation_actor_free' in pre and pre['loss_curve']['loss']
    for arm in ('scratch', 'pretrained'):
        assert saved['selection'][arm]['chosen'] and saved['selection'][arm]['candidates']
        runs = saved['finetune']['runs'][arm]
        assert len(runs) == 1 and 0.0 <= runs[0]['top1'] <= 1.0 and runs[0]['loss_curve']['loss']
        assert set(saved['finetune']['summary'][arm]['top1']) == {'mean', 'std', 'n'}
    for arm in ('random_init', 'pretrained'):
        summary = saved['frozen'][arm]['summary']
        assert {f'retrieval_R_at_{k}' for k in (1, 5, 10, 20, 50)} | {'linear_probe_top1'} <= set(summary)
    assert set(saved['bar']['checks']) == {'scratch_above_chance', 'finetune_gain_5pts', 'linear_probe_gain_10pts',
                                           'retrieval_r1_gain_10pts'}
    assert results['bar'] == saved['bar']
    # The selection split is carved from the training list, by group, and never overlaps the test list.
    sel = saved['selection']['scratch']
    train_lines = open(sel['train_list']).read().split('\n')
    val_lines = [ln for ln in open(sel['val_list']).read().split('\n') if ln]
    test_list = open(str(data / 'ucf_style' / 'ucf101_val_split_1_videos.txt')).read()
    assert val_lines and not set(val_lines) & set(train_lines)
    assert not any(ln.split()[0] in test_list for ln in val_lines)
