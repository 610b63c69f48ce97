"""UCF101 / HMDB51 / Kinetics-400 list builders on tiny fake trees with the official naming; the command-line
tools run in this process (`conftest.run_tool`)."""
import csv
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import run_tool

from mmrot3d_harness.preparation import AnnotationError, build_hmdb51_lists, build_kinetics400_lists, build_ucf101_lists
from mmrot3d_harness.preparation.common import find_missing
from mmrot3d_harness.video_io import write_video

UCF_CLI = 'tools/data/ucf101/build_file_list.py'
HMDB_CLI = 'tools/data/hmdb51/build_file_list.py'
K400_CLI = 'tools/data/kinetics400/build_file_list.py'

# classInd order (alphabetical as in the release). The HandstandPushups files are really named
# v_HandStandPushups_gXX_cYY.avi in the release: the folder, not the file prefix, is the class.
UCF_CLASSES = [('ApplyEyeMakeup', 'ApplyEyeMakeup'), ('HandstandPushups', 'HandStandPushups'), ('YoYo', 'YoYo')]
HMDB_CLASSES = ['shoot_bow', 'brush_hair', 'cartwheel']  # created in this (unsorted) order
K400_TRAIN = [  # label, youtube_id, start, end
    ('playing guitar', '--07WQ2iBlw', 1, 11), ('abseiling', '0wR5jVB-WPk', 417, 427),
    ("massaging person's head", 'a_B-c1D2e3F', 30, 40), ('abseiling', 'zzz_missing', 5, 15),
    ('playing guitar', 'Xq4nV8p0q1E', 0, 10), ("massaging person's head", 'QqQqQqQqQqQ', 12, 22)
]
K400_VAL = [('abseiling', '3caPS4FHFF8', 36, 46), ('playing guitar', 'ZZ_xY-12abc', 100, 110),
            ("massaging person's head", 'm4ss4g3h34d', 7, 17)]
K400_MISSING = {'zzz_missing'}


@pytest.fixture(scope='module')
def clips(tmp_path_factory):
    """One real .avi and one real .mp4 (8 frames, 64x64) to copy into the fake trees."""
    root = tmp_path_factory.mktemp('clips')
    frames = np.random.default_rng(0).integers(0, 256, size=(8, 64, 64, 3), dtype=np.uint8)
    return {'.avi': write_video(root / 'c.avi', frames), '.mp4': write_video(root / 'c.mp4', frames)}


def _put(clips, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(clips[path.suffix], path)


def make_ucf101(root: Path, clips, class_order=None) -> Path:
    """``root/UCF-101/`` (3 classes x 2 groups x 2 clips) and ``root/ucfTrainTestlist/``.

    Split N tests group ``g0{1,2,1}[N-1]``. Files use CRLF like the release.
    """
    order = class_order or range(len(UCF_CLASSES))
    videos = {}
    for i in order:
        folder, prefix = UCF_CLASSES[i]
        videos[i] = [f'{folder}/v_{prefix}_g{g:02d}_c{c:02d}.avi' for g in (1, 2) for c in (1, 2)]
        for v in videos[i]:
            _put(clips, root / 'UCF-101' / v)
    ann = root / 'ucfTrainTestlist'
    ann.mkdir(parents=True, exist_ok=True)
    crlf = lambda lines: ''.join(f'{line}\r\n' for line in lines)  # noqa: E731
    (ann / 'classInd.txt').write_bytes(crlf(f'{i + 1} {name}' for i, (name, _) in enumerate(UCF_CLASSES)).encode())
    for split, test_group in zip((1, 2, 3), (1, 2, 1)):
        train, test = [], []
        for i in range(len(UCF_CLASSES)):
            for v in videos[i]:
                if f'_g{test_group:02d}_' in v:
                    test.append(v)
                else:
                    train.append(f'{v} {i + 1}')
        (ann / f'trainlist0{split}.txt').write_bytes(crlf(train).encode())
        (ann / f'testlist0{split}.txt').write_bytes(crlf(test).encode())
    return root


def make_hmdb51(root: Path, clips, class_order=HMDB_CLASSES) -> Path:
    """``root/videos/<class>/`` (3 videos each) and ``root/testTrainMulti_7030_splits/``.

    In split N video k gets flag ``(k + N) % 3`` (0 unused, 1 train, 2 test); lines end in a space
    like the release.
    """
    splits = root / 'testTrainMulti_7030_splits'
    splits.mkdir(parents=True, exist_ok=True)
    for name in class_order:
        videos = [f'April_09_{name}_u_nm_np1_ba_goo_{k}.avi' for k in range(3)]
        for v in videos:
            _put(clips, root / 'videos' / name / v)
        for split in (1, 2, 3):
            (splits / f'{name}_test_split{split}.txt').write_text(''.join(f'{v} {(k + split) % 3} \n'
                                                                          for k, v in enumerate(videos)))
    return root


def make_kinetics(root: Path, clips, as_is_labels=()) -> Path:
    """``root/{train,validate}.csv`` and ``root/videos/{train,val}/<label>/<id>_<s>_<e>.mp4``.

    Label folders use underscores for spaces unless the label is in ``as_is_labels``.
    """
    root.mkdir(parents=True, exist_ok=True)
    for csv_name, subdir, rows in (('train.csv', 'train', K400_TRAIN), ('validate.csv', 'val', K400_VAL)):
        with open(root / csv_name, 'w', newline='') as f:
            writer = csv.writer(f)
            writer.writerow(['label', 'youtube_id', 'time_start', 'time_end', 'split'])
            for label, yid, start, end in rows:
                writer.writerow([label, yid, start, end, subdir])
                if yid not in K400_MISSING:
                    folder = label if label in as_is_labels else label.replace(' ', '_')
                    _put(clips, root / 'videos' / subdir / folder / f'{yid}_{start:06d}_{end:06d}.mp4')
    return root


def read_list(path: Path):
    return [(line.rsplit(' ', 1)[0], int(line.rsplit(' ', 1)[1])) for line in path.read_text().splitlines()]


def assert_cli_error(proc, *fragments):
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: '), proc.stderr
    assert 'Traceback' not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def api_error(fn, *args) -> str:
    with pytest.raises(AnnotationError) as info:
        fn(*args)
    message = str(info.value)
    assert '\n' not in message
    return message


# ----------------------------------------------------------------------------------------- UCF101
def test_ucf101_api(tmp_path, clips):
    root = make_ucf101(tmp_path, clips)
    class_names, lists = build_ucf101_lists(root / 'ucfTrainTestlist')
    assert class_names == [name for name, _ in UCF_CLASSES]
    assert sorted(lists) == [1, 2, 3]
    for split, (train, val) in lists.items():
        assert len(train) == 6 and len(val) == 6
        test_group = '_g01_' if split in (1, 3) else '_g02_'
        assert all(test_group in e.path for e in val) and not any(test_group in e.path for e in train)
        for e in train + val:
            assert e.label == [n for n, _ in UCF_CLASSES].index(e.path.split('/')[0])
        assert find_missing(train + val, root / 'UCF-101')[1] == []
    handstand = [e for e in lists[1][0] if e.path.startswith('HandstandPushups/')]
    assert handstand[0].path == 'HandstandPushups/v_HandStandPushups_g02_c01.avi' and handstand[0].label == 1


def test_ucf101_labels_follow_classind_not_alphabet(tmp_path, clips):
    root = make_ucf101(tmp_path, clips)
    ann = root / 'ucfTrainTestlist'
    (ann / 'classInd.txt').write_text('1 YoYo\n2 ApplyEyeMakeup\n3 HandstandPushups\n')
    new = {'YoYo': 1, 'ApplyEyeMakeup': 2, 'HandstandPushups': 3}
    for split in (1, 2, 3):
        path = ann / f'trainlist0{split}.txt'
        path.write_text(''.join(f"{v} {new[v.split('/')[0]]}\n"
                                for v, _ in (line.split() for line in path.read_text().splitlines())))
    class_names, lists = build_ucf101_lists(ann)
    assert class_names == ['YoYo', 'ApplyEyeMakeup', 'HandstandPushups']
    assert {
        e.path.split('/')[0]: e.label
        for e in lists[2][1]
    } == {
        'YoYo': 0,
        'ApplyEyeMakeup': 1,
        'HandstandPushups': 2
    }


def test_ucf101_cli(tmp_path, clips):
    root = make_ucf101(tmp_path / 'a', clips)
    proc = run_tool(UCF_CLI, '--root', root)
    assert proc.returncode == 0, proc.stderr
    assert f'wrote {root}/ucf101_train_split_1_videos.txt: 6 videos, 3 classes' in proc.stdout
    for split in (1, 2, 3):
        for subset in ('train', 'val'):
            out = root / f'ucf101_{subset}_split_{split}_videos.txt'
            entries = read_list(out)
            assert len(entries) == 6 and {label for _, label in entries} == {0, 1, 2}
            assert all((root / 'UCF-101' / path).is_file() for path, _ in entries)
    assert (root / 'ucf101_classes.txt').read_text().split() == [n for n, _ in UCF_CLASSES]
    first = (root / 'ucf101_train_split_1_videos.txt').read_text().splitlines()[0]
    assert first == 'ApplyEyeMakeup/v_ApplyEyeMakeup_g02_c01.avi 0'

    # Stable: a second run, and a tree built in another order, give byte-identical lists.
    before = {p.name: p.read_bytes() for p in root.glob('*.txt')}
    assert run_tool(UCF_CLI, '--root', root).returncode == 0
    assert {p.name: p.read_bytes() for p in root.glob('*.txt')} == before
    other = make_ucf101(tmp_path / 'b', clips, class_order=[2, 0, 1])
    assert run_tool(UCF_CLI, '--root', other, '--out', tmp_path / 'b_out').returncode == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / 'b_out').glob('*.txt')} == before

    # MMAction2 layout via flags.
    shutil.move(str(root / 'UCF-101'), str(root / 'videos'))
    shutil.move(str(root / 'ucfTrainTestlist'), str(root / 'annotations'))
    proc = run_tool(UCF_CLI, '--root', root, '--video-dir', root / 'videos', '--ann-dir', root / 'annotations', '--out',
                    tmp_path / 'c_out', '--splits', '1')
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / 'c_out').iterdir()) == [
        'ucf101_classes.txt', 'ucf101_train_split_1_videos.txt', 'ucf101_val_split_1_videos.txt'
    ]


def test_ucf101_missing_video_skipped_or_strict(tmp_path, clips):
    root = make_ucf101(tmp_path, clips)
    (root / 'UCF-101/YoYo/v_YoYo_g02_c02.avi').unlink()
    proc = run_tool(UCF_CLI, '--root', root)
    assert proc.returncode == 0, proc.stderr
    assert 'ucf101_train_split_1_videos.txt: 5 videos, 3 classes' in proc.stdout
    assert '1 listed video(s) missing on disk' in proc.stdout
    assert (root / 'ucf101_train_split_1_missing.txt').read_text() == 'YoYo/v_YoYo_g02_c02.avi 2\n'
    assert not (root / 'ucf101_val_split_1_missing.txt').exists()
    assert len(read_list(root / 'ucf101_val_split_2_videos.txt')) == 5
    proc = run_tool(UCF_CLI, '--root', root, '--strict')
    assert_cli_error(proc, 'trainlist01.txt:6: video ', "'YoYo/v_YoYo_g02_c02.avi' not found under",
                     '(1 listed video(s) missing in total)')


UCF_BAD = [  # file, edit(lines) -> lines, expected message
    ('trainlist01.txt', lambda ls: ls[:1] + ['ApplyEyeMakeup/v_ApplyEyeMakeup_g02_c02.avi 102'] + ls[2:],
     'ucfTrainTestlist/trainlist01.txt:2: label 102 out of range 1..3'),
    ('trainlist02.txt', lambda ls: ls[:2] + ['Foo/v_Foo_g01_c01.avi 1'] + ls[3:],
     "ucfTrainTestlist/trainlist02.txt:3: class 'Foo' not in classInd.txt"),
    ('trainlist01.txt', lambda ls: ls[:3] + ['HandstandPushups/v_HandStandPushups_g02_c02.avi 3'] + ls[4:],
     "ucfTrainTestlist/trainlist01.txt:4: label 3 ('YoYo') disagrees with class folder 'HandstandPushups'"),
    ('trainlist03.txt', lambda ls: ls[:4] + ['ApplyEyeMakeup/v_ApplyEyeMakeup_g02_c02.avi'] + ls[5:],
     'ucfTrainTestlist/trainlist03.txt:5: expected \'<ClassName>/<video>.avi <label>\', got 1 column(s)'),
    ('trainlist01.txt', lambda ls: ['ApplyEyeMakeup/v_ApplyEyeMakeup_g02_c01.avi one'] + ls[1:],
     "ucfTrainTestlist/trainlist01.txt:1: label 'one' is not an integer"),
    ('testlist01.txt', lambda ls: ls[:5] + ['YoYo/v_YoYo_g01_c02.avi 3'] + ls[6:],
     'ucfTrainTestlist/testlist01.txt:6: expected \'<ClassName>/<video>.avi\' (1 column), got 2 column(s)'),
    ('testlist02.txt', lambda ls: ['v_YoYo_g01_c02.avi'] + ls[1:],
     "ucfTrainTestlist/testlist02.txt:1: expected '<ClassName>/<video>.avi', got 'v_YoYo_g01_c02.avi'"),
    ('classInd.txt', lambda ls: ls[:1] + ['3 HandstandPushups'] + ls[2:],
     'ucfTrainTestlist/classInd.txt:2: class index 3 out of sequence, expected 2'),
    ('classInd.txt', lambda ls: ls + ['4'],
     "ucfTrainTestlist/classInd.txt:4: expected '<index> <ClassName>', got 1 column(s)"),
    ('testlist03.txt', None, 'ucfTrainTestlist/testlist03.txt: file not found'),
]


@pytest.mark.parametrize('name,edit,expected', UCF_BAD)
def test_ucf101_bad_annotations(tmp_path, clips, name, edit, expected):
    root = make_ucf101(tmp_path, clips)
    path = root / 'ucfTrainTestlist' / name
    if edit is None:
        path.unlink()
    else:
        path.write_text('\n'.join(edit(path.read_text().splitlines())) + '\n')
    assert expected in api_error(build_ucf101_lists, root / 'ucfTrainTestlist')


def test_ucf101_cli_error(tmp_path, clips):
    root = make_ucf101(tmp_path, clips)
    path = root / 'ucfTrainTestlist/trainlist01.txt'
    lines = path.read_text().splitlines()
    path.write_text('\n'.join(lines[:16] + ['YoYo/v_YoYo_g02_c01.avi 102']) + '\n')
    assert_cli_error(
        run_tool(UCF_CLI, '--root', root), 'error: ', 'ucfTrainTestlist/trainlist01.txt:7: label 102 out of range 1..3')
    assert not (root / 'ucf101_train_split_1_videos.txt').exists()
    assert_cli_error(
        run_tool(UCF_CLI, '--root', tmp_path / 'nowhere'), 'nowhere/ucfTrainTestlist/classInd.txt: file not found')


# ----------------------------------------------------------------------------------------- HMDB51
def test_hmdb51_api(tmp_path, clips):
    root = make_hmdb51(tmp_path, clips)
    class_names, lists = build_hmdb51_lists(root / 'testTrainMulti_7030_splits')
    assert class_names == ['brush_hair', 'cartwheel', 'shoot_bow']
    for split, (train, val) in lists.items():
        assert len(train) == 3 and len(val) == 3  # one train, one test, one unused video per class
        for e in train:
            assert e.path.endswith(f'_{(1 - split) % 3}.avi')
        for e in train + val:
            assert e.label == class_names.index(e.path.split('/')[0])
        assert find_missing(train + val, root / 'videos')[1] == []


def test_hmdb51_cli_stable(tmp_path, clips):
    a = make_hmdb51(tmp_path / 'a', clips)
    proc = run_tool(HMDB_CLI, '--video-root', a / 'videos', '--split-dir', a / 'testTrainMulti_7030_splits', '--out',
                    a / 'lists')
    assert proc.returncode == 0, proc.stderr
    assert f'wrote {a}/lists/hmdb51_val_split_3_videos.txt: 3 videos, 3 classes' in proc.stdout
    for split in (1, 2, 3):
        for subset in ('train', 'val'):
            entries = read_list(a / 'lists' / f'hmdb51_{subset}_split_{split}_videos.txt')
            assert [label for _, label in entries] == [0, 1, 2]
            assert all((a / 'videos' / path).is_file() for path, _ in entries)
    assert (a / 'lists/hmdb51_train_split_1_videos.txt').read_text() == (
        'brush_hair/April_09_brush_hair_u_nm_np1_ba_goo_0.avi 0\n'
        'cartwheel/April_09_cartwheel_u_nm_np1_ba_goo_0.avi 1\n'
        'shoot_bow/April_09_shoot_bow_u_nm_np1_ba_goo_0.avi 2\n')
    assert (a / 'lists/hmdb51_classes.txt').read_text() == 'brush_hair\ncartwheel\nshoot_bow\n'
    b = make_hmdb51(tmp_path / 'b', clips, class_order=sorted(HMDB_CLASSES, reverse=True))
    assert run_tool(HMDB_CLI, '--root', b, '--out', b / 'lists').returncode == 0
    assert run_tool(HMDB_CLI, '--root', b, '--out', b / 'lists').returncode == 0
    assert {p.name: p.read_bytes() for p in (a / 'lists').iterdir()} == \
        {p.name: p.read_bytes() for p in (b / 'lists').iterdir()}


def test_hmdb51_missing_video(tmp_path, clips):
    root = make_hmdb51(tmp_path, clips)
    (root / 'videos/cartwheel/April_09_cartwheel_u_nm_np1_ba_goo_0.avi').unlink()
    proc = run_tool(HMDB_CLI, '--root', root)
    assert proc.returncode == 0, proc.stderr
    assert 'hmdb51_train_split_1_videos.txt: 2 videos, 2 classes' in proc.stdout
    assert (root / 'hmdb51_train_split_1_missing.txt').read_text() == \
        'cartwheel/April_09_cartwheel_u_nm_np1_ba_goo_0.avi 1\n'
    assert_cli_error(
        run_tool(HMDB_CLI, '--root', root, '--strict'),
        'testTrainMulti_7030_splits/cartwheel_test_split1.txt:1: video ', 'not found under')


@pytest.mark.parametrize('name,content,expected', [
    ('cartwheel_test_split2.txt', 'a.avi 1 \nb.avi 3 \n',
     "testTrainMulti_7030_splits/cartwheel_test_split2.txt:2: unknown flag '3' (expected 0 = unused, "
     '1 = train, 2 = test)'),
    ('brush_hair_test_split1.txt', 'a.avi 1\n\nb.avi\n',
     "testTrainMulti_7030_splits/brush_hair_test_split1.txt:3: expected '<video>.avi <flag>', got 1 column(s)"),
    ('shoot_bow_test_split3.txt', 'a.avi 1\na.avi 2\n',
     "testTrainMulti_7030_splits/shoot_bow_test_split3.txt:2: video 'a.avi' listed twice (first on line 1)"),
    ('shoot_bow_test_split2.txt', None, 'testTrainMulti_7030_splits/shoot_bow_test_split2.txt: file not found'),
])
def test_hmdb51_bad_annotations(tmp_path, clips, name, content, expected):
    root = make_hmdb51(tmp_path, clips)
    path = root / 'testTrainMulti_7030_splits' / name
    if content is None:
        path.unlink()
    else:
        path.write_text(content)
    assert expected in api_error(build_hmdb51_lists, root / 'testTrainMulti_7030_splits')
    assert_cli_error(run_tool(HMDB_CLI, '--root', root), expected)


def test_hmdb51_empty_split_dir(tmp_path):
    (tmp_path / 'splits').mkdir()
    (tmp_path / 'splits/README.txt').write_text('nothing\n')
    assert api_error(build_hmdb51_lists, tmp_path / 'splits') == \
        f"{tmp_path}/splits: no '<class_name>_test_split<N>.txt' files found"


# ------------------------------------------------------------------------------------ Kinetics-400
def test_kinetics_api(tmp_path, clips):
    root = make_kinetics(tmp_path, clips)
    class_names, lists = build_kinetics400_lists(root / 'train.csv', root / 'validate.csv', root / 'videos')
    assert class_names == ['abseiling', "massaging person's head", 'playing guitar']
    train, train_missing = lists['train']
    assert [e.path for e in train_missing] == ['train/abseiling/zzz_missing_000005_000015.mp4']
    assert train_missing[0].lineno == 5
    assert [(e.path, e.label) for e in train[:2]] == [('train/playing_guitar/--07WQ2iBlw_000001_000011.mp4', 2),
                                                      ('train/abseiling/0wR5jVB-WPk_000417_000427.mp4', 0)]
    val, val_missing = lists['val']
    assert len(train) == 5 and len(val) == 3 and val_missing == []
    assert all((root / 'videos' / e.path).is_file() for e in train + val)


def test_kinetics_cli(tmp_path, clips):
    root = make_kinetics(tmp_path, clips)
    proc = run_tool(K400_CLI, '--root', root, '--video-dir', root / 'videos')
    assert proc.returncode == 0, proc.stderr
    assert f'wrote {root}/kinetics400_train_list_videos.txt: 5 videos, 3 classes' in proc.stdout
    assert f'1 listed video(s) missing on disk and left out; see {root}/kinetics400_train_missing.txt' \
        in proc.stdout
    assert (root / 'kinetics400_train_missing.txt').read_text() == \
        'train/abseiling/zzz_missing_000005_000015.mp4 0\n'
    assert not (root / 'kinetics400_val_missing.txt').exists()
    train = read_list(root / 'kinetics400_train_list_videos.txt')
    val = read_list(root / 'kinetics400_val_list_videos.txt')
    assert [label for _, label in train] == [2, 0, 1, 2, 1] and [label for _, label in val] == [0, 2, 1]
    assert all((root / 'videos' / path).is_file() for path, _ in train + val)
    assert all(' ' not in path for path, _ in train + val)
    assert (root / 'kinetics400_classes.txt').read_text().splitlines() == [
        'abseiling', "massaging person's head", 'playing guitar'
    ]
    before = {p.name: p.read_bytes() for p in root.glob('*.txt')}
    assert run_tool(K400_CLI, '--root', root).returncode == 0  # --video-dir defaults to <root>/videos
    assert {p.name: p.read_bytes() for p in root.glob('*.txt')} == before

    # The decoded clips are real videos.
    import decord
    assert len(decord.VideoReader(str(root / 'videos' / train[0][0]))) == 8


def test_kinetics_label_folder_as_is(tmp_path, clips):
    root = make_kinetics(tmp_path, clips, as_is_labels={'playing guitar'})
    proc = run_tool(K400_CLI, '--root', root)
    assert proc.returncode == 0, proc.stderr
    assert 'contain whitespace' in proc.stderr  # MMAction2 cannot read such a list: warned
    val = read_list(root / 'kinetics400_val_list_videos.txt')
    assert ('val/playing guitar/ZZ_xY-12abc_000100_000110.mp4', 2) in val


def _edit_csv(path, lines):
    path.write_text('\n'.join(lines) + '\n')


@pytest.mark.parametrize('name,edit,expected', [
    ('train.csv', lambda ls: ['label,youtube,time_start,time_end,split'] + ls[1:],
     "train.csv:1: malformed CSV header 'label,youtube,time_start,time_end,split': missing column(s) "
     "youtube_id; expected 'label,youtube_id,time_start,time_end,split'"),
    ('train.csv', lambda ls: ls[:3] + ['abseiling,xyz,1,11'] + ls[4:],
     'train.csv:4: expected 5 columns (label,youtube_id,time_start,time_end,split), got 4'),
    ('validate.csv', lambda ls: ls[:2] + ['"playing guitar",abc,ten,20,val'] + ls[3:],
     "validate.csv:3: time_start 'ten' is not a non-negative whole number of seconds"),
    ('validate.csv', lambda ls: ls + ['"dancing ballet",abc,10,20,val'],
     "validate.csv:5: label 'dancing ballet' does not occur in the train CSV"),
    ('validate.csv', lambda ls: ls[:1], 'validate.csv: no clips listed'),
    ('validate.csv', None, 'validate.csv: file not found'),
])
def test_kinetics_bad_csv(tmp_path, clips, name, edit, expected):
    root = make_kinetics(tmp_path, clips)
    path = root / name
    if edit is None:
        path.unlink()
    else:
        _edit_csv(path, edit(path.read_text().splitlines()))
    message = api_error(build_kinetics400_lists, root / 'train.csv', root / 'validate.csv', root / 'videos')
    assert message == f'{root}/{expected}'
    assert_cli_error(run_tool(K400_CLI, '--root', root), f'error: {root}/{expected}')


def test_kinetics_missing_video_dir(tmp_path, clips):
    root = make_kinetics(tmp_path, clips)
    assert_cli_error(
        run_tool(K400_CLI, '--root', root, '--video-dir', root / 'clips'),
        f'{root}/clips/train: video directory not found')
