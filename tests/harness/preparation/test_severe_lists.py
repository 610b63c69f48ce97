"""The list builders of SEVERE's presets on trees in each release's exact layout (tests/harness/benchmark/
severe_trees.py): Something-Something v2, Diving48 and FineGym through MMAction2 1.2.0's own data tools (FineGym's
videos cut by its trim scripts, with a stand-in ffmpeg), Charades and SEVERE's derived sets ours."""
import json

import decord
import pytest
from conftest import run_tool

from mmrot3d.datasets.video_list import Entry, read_video_list
from mmrot3d_harness.preparation import AnnotationError, charades, diving48, finegym, sthv2
from mmrot3d_harness.preparation.severe_subsets import FX_S1, UB_S1, label_range_subset, severe_subset
from tests.harness.benchmark import severe_trees as trees


def lines(path):
    return [(e.path, e.label) for e in read_video_list(path, multi_class='charades' in str(path))]


def test_the_1000_sample_draw_is_severes():
    """Expected: SEVERE's own ``datasets/utils.py::get_subset_data(names, labels, 18)`` (SEVERE-BENCHMARK at
    2f99365) run on this list: ceil(18 / 5) = 4 per class, class 1 (3 videos) all of them, in its drawn order, class
    by class."""
    sizes = [7, 3, 12, 5, 9]
    labels = [c for i in range(12) for c in range(5) if i < sizes[c]]
    entries = [Entry(f'v{i:02d}.mp4', k) for i, k in enumerate(labels)]
    drawn = severe_subset(entries, samples=18)
    assert [int(e.path[1:3]) for e in drawn] == [23, 5, 10, 26, 11, 6, 1, 12, 34, 33, 20, 13, 17, 3, 8, 32, 9, 18, 22]
    assert [e.label for e in drawn] == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]


def test_fx_s1_and_ub_s1_are_gym99_labels_relabelled_from_zero():
    entries = [Entry(f'{k}.mp4', k) for k in range(99)]
    assert [(e.path, e.label) for e in label_range_subset(entries, FX_S1)] == [(f'{k}.mp4', k - 6)
                                                                               for k in range(6, 17)]
    assert [e.label for e in label_range_subset(entries, UB_S1)] == list(range(15))


def test_sthv2_lists_come_from_mmaction2s_builder_with_bracketed_templates_resolved():
    root = trees.built_tree('sthv2')
    train = [(f'{i}.webm', k) for i, k in trees.SSV2_TRAIN if i not in trees.SSV2_MISSING]
    assert lines(root / 'sthv2_train_list_videos.txt') == train
    assert lines(root / 'sthv2_val_list_videos.txt') == [(f'{i}.webm', k) for i, k in trees.SSV2_VAL]
    assert lines(root / 'sthv2_train_missing.txt') == [('198186.webm', 2)]
    assert len(decord.VideoReader(str(root / 'videos' / '74225.webm'))) == 30


def test_an_sthv2_template_not_in_the_labels_is_named(tmp_path):
    root = trees.make_sthv2(tmp_path / 'sthv2')
    path = root / 'annotations' / 'something-something-v2-validation.json'
    records = json.loads(path.read_text())
    records[1]['template'] = 'Spinning [something] that quickly stops spinning'
    path.write_text(json.dumps(records))
    with pytest.raises(
            AnnotationError,
            match=r"validation\.json: record 1 \(id 92355\): template 'Spinning "
            r"\[something\] that quickly stops spinning' is not in something-something-v2-labels\.json"):
        sthv2.build(root)
    assert not (root / 'sthv2_train_list_videos.txt').exists()  # refused before MMAction2's tool ran


def test_gym_is_cut_by_mmaction2s_trim_scripts_and_listed_by_its_generator():
    root = trees.built_tree('gym')
    events = sorted(p.name for p in (root / 'events').iterdir())
    assert events == sorted(f'{v}_{e}.mp4' for v in trees.GYM_VIDEOS
                            for e in ('E_000001_000006', 'E_000007_000012', 'E_000013_000014'))
    cut = json.loads((root / 'annotations' / 'event_annotation.json').read_text())
    assert set(cut) == {e[:-4] for e in events} - {f'{v}_E_000013_000014' for v in trees.GYM_VIDEOS}  # null segments
    elements = trees.gym_elements()
    assert sorted(p.name for p in (root / 'subactions').iterdir()) == sorted(f'{e}.mp4' for e in elements)
    # the 3-stage element spans its first stage's start to its last stage's end (3.3 s to 4.9 s at 10 fps)
    three_stage = root / 'subactions' / f'{trees.GYM_VIDEOS[0]}_E_000001_000006_A_0003_0004.mp4'
    assert len(decord.VideoReader(str(three_stage))) == 16
    train = [(f'{e}.mp4', trees.GYM_LABELS[i]) for i, e in enumerate(elements) if i not in trees.GYM_VAL]
    assert lines(root / 'annotations' / 'gym99_train.txt') == train
    assert (root / 'annotations' / 'gym99_val.txt').read_text()[-1] != '\n'  # MMAction2's: no final newline
    assert lines(root / 'annotations' / 'fx_s1_train.txt') == [(p, k - 6) for p, k in train if 6 <= k <= 16]
    assert lines(root / 'annotations' / 'ub_s1_val.txt') == [(f'{elements[i]}.mp4', trees.GYM_LABELS[i] - 74)
                                                             for i in sorted(trees.GYM_VAL)
                                                             if 74 <= trees.GYM_LABELS[i] <= 88]
    assert lines(root / 'annotations' / 'gym99_train_1000samples.txt') == [
        (e.path, e.label) for e in severe_subset(read_video_list(root / 'annotations' / 'gym99_train.txt'))
    ]


def test_a_video_never_downloaded_is_reported_and_left_out(tmp_path):
    root = trees.cut_and_list_gym(trees.make_gym(tmp_path / 'gym', missing_video=True))
    gone = [e for e in trees.gym_elements() if e.startswith(trees.GYM_VIDEOS[1])]
    missing = [p for p, _ in lines(root / 'annotations' / 'gym99_train_missing.txt')]
    missing += [p for p, _ in lines(root / 'annotations' / 'gym99_val_missing.txt')]
    assert sorted(missing) == sorted(f'{e}.mp4' for e in gone)
    with pytest.raises(AnnotationError, match=r"video '-ZWtDx8kT9c_E_\S+\.mp4' not found under .*subactions \(6 "):
        finegym.build(root, strict=True)


def test_trimming_without_ffmpeg_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv('PATH', str(tmp_path / 'empty'))
    with pytest.raises(AnnotationError, match='ffmpeg not found on PATH'):
        finegym.trim(tmp_path)


def test_an_element_list_of_another_layout_is_refused(tmp_path):
    root = trees.copy_tree('gym', tmp_path / 'gym')
    org = root / 'annotations' / 'gym99_val_org.txt'
    org.write_text(org.read_text().replace(' 74\n', ' 99\n', 1))
    with pytest.raises(AnnotationError, match=r'gym99_val_org\.txt:1: .* does not fit .*with labels 0\.\.98'):
        finegym.build(root)


def test_diving48_lists_come_from_mmaction2s_builder(tmp_path):
    root = trees.built_tree('diving48')
    assert lines(root / 'diving48_train_list_videos.txt') == [(f'{v}.mp4', k) for v, k in trees.DIVING_TRAIN]
    assert lines(root / 'diving48_val_list_videos.txt') == [(f'{v}.mp4', k) for v, k in trees.DIVING_TEST]
    bad = trees.make_diving48(tmp_path / 'diving48')
    path = bad / 'annotations' / 'Diving48_V2_train.json'
    path.write_text(path.read_text().replace('"label": 2', '"label": 48', 1))
    with pytest.raises(AnnotationError, match=r'record 4 \(9zBkd1BKtHo_00040\): label 48 is not an integer in 0\.\.47'):
        diving48.build(bad)


def test_charades_lists_are_multi_label_and_skip_videos_without_actions(capsys):
    root = trees.built_tree('charades')
    assert lines(root / 'charades_train_list_videos.txt') == [('46GP8.mp4', [92, 147]), ('N11GT.mp4', [75, 98]),
                                                              ('KRF68.mp4', [92]), ('MJO7C.mp4', [98, 147])]
    assert lines(root / 'charades_val_list_videos.txt') == [('YSKX3.mp4', [92]), ('ZZXQF.mp4', [75, 147])]
    assert (root / 'charades_classes.txt').read_text().splitlines()[92] == 'Holding thing 92'


def test_charades_actions_of_another_layout_are_named(tmp_path):
    root = trees.make_charades(tmp_path / 'charades')
    path = root / 'Charades_v1_test.csv'
    path.write_text(path.read_text().replace('c092 0.00 4.50', 'c092:0.00-4.50'))
    with pytest.raises(AnnotationError, match=r"Charades_v1_test\.csv:2: actions 'c092:0\.00-4\.50' of video 'YSKX3'"):
        charades.build(root)


def test_the_tools_run_as_their_command_lines(tmp_path):
    root = trees.make_charades(tmp_path / 'c')
    assert run_tool('tools/data/charades/build_file_list.py', '--root', root).returncode == 0
    assert lines(root / 'charades_val_list_videos.txt') == [('YSKX3.mp4', [92]), ('ZZXQF.mp4', [75, 147])]
    done = run_tool('tools/data/sthv2/build_file_list.py', '--root', tmp_path / 'nowhere')
    assert done.returncode == 2 and done.stderr.strip().splitlines()[-1] == (
        f'error: {tmp_path}/nowhere/annotations: annotation folder (MMAction2 layout: <root>/annotations/) not found')
