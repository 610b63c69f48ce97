"""Training-list subsets: label fractions / sample counts (class-balanced, nested, reproducible) and the
validation split carved by group."""
from collections import Counter

import pytest
from official_trees import benchmark, official_tree

from mmrot3d_harness.benchmark.subsets import carve_validation, label_subset, per_class_counts, subset_name


def write_list(path, lines):
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


@pytest.fixture
def train_list(tmp_path):
    """4 classes of 40, 20, 10 and 7 videos, UCF-style names, classes interleaved."""
    sizes = [40, 20, 10, 7]
    lines = [
        f'C{c}/v_C{c}_g{i // 2 + 1:02d}_c{i % 2 + 1:02d}.avi {c}' for i in range(40) for c in range(4) if i < sizes[c]
    ]
    return write_list(tmp_path / 'train.txt', lines)


def labels(path):
    return Counter(int(line.split()[1]) for line in open(path).read().splitlines())


def videos(path):
    return set(line.split()[0] for line in open(path).read().splitlines())


def test_fractions_are_class_balanced_nested_and_reproducible(train_list, tmp_path):
    subsets = {f: label_subset(train_list, tmp_path / f'f{f}.txt', seed=0, fraction=f) for f in (0.1, 0.25, 0.5)}
    assert labels(subsets[0.1]) == {0: 4, 1: 2, 2: 1, 3: 1}  # ceil(0.1 * n) per class, at least one
    assert labels(subsets[0.25]) == {0: 10, 1: 5, 2: 3, 3: 2}
    assert videos(subsets[0.1]) < videos(subsets[0.25]) < videos(subsets[0.5]) < videos(train_list)
    again = label_subset(train_list, tmp_path / 'again.txt', seed=0, fraction=0.25)
    assert open(again).read() == open(subsets[0.25]).read()
    other = label_subset(train_list, tmp_path / 'seed1.txt', seed=1, fraction=0.25)
    assert labels(other) == labels(subsets[0.25]) and videos(other) != videos(subsets[0.25])
    # lines keep the list's order and format
    original = open(train_list).read().splitlines()
    kept = open(subsets[0.25]).read().splitlines()
    assert kept == [line for line in original if line in set(kept)]


def test_samples_are_spread_evenly_over_classes(train_list, tmp_path):
    n10 = label_subset(train_list, tmp_path / 'n10.txt', seed=3, samples=10)
    n30 = label_subset(train_list, tmp_path / 'n30.txt', seed=3, samples=30)
    assert labels(n10) == {0: 3, 1: 3, 2: 2, 3: 2}
    assert labels(n30) == {0: 8, 1: 8, 2: 7, 3: 7}  # 30 // 4 = 7, the remainder to the first classes; cap 7 for class 3
    assert videos(n10) < videos(n30)
    assert per_class_counts({0: 5, 1: 1}, samples=6) == {0: 3, 1: 1}


def test_bad_settings_are_refused(train_list, tmp_path):
    with pytest.raises(ValueError, match='--train-fraction 1.5'):
        label_subset(train_list, tmp_path / 'x.txt', seed=0, fraction=1.5)
    with pytest.raises(ValueError, match='fewer than one video per class'):
        label_subset(train_list, tmp_path / 'x.txt', seed=0, samples=3)
    assert [subset_name(0.1), subset_name(None, 1000), subset_name(1.0)] == ['frac0.1', 'n1000', 'full']


def test_carve_by_group(tmp_path):
    train = write_list(tmp_path / 'train.txt', [f'A/v_A_g{g:02d}_c{c:02d}.avi 0' for g in range(1, 5) for c in (1, 2)])
    sub, val = carve_validation(train, tmp_path / 'sel')
    assert videos(val) == {'A/v_A_g04_c01.avi', 'A/v_A_g04_c02.avi'}
    assert not videos(sub) & videos(val) and len(videos(sub)) == 6


def test_carve_without_groups_is_per_class(tmp_path):
    train = write_list(tmp_path / 'train.txt', [f'x/{i}.avi {i % 2}' for i in range(16)])
    sub, val = carve_validation(train, tmp_path / 'sel')
    assert labels(val) == {0: 2, 1: 2} and len(videos(sub)) == 12


def test_a_label_setting_trains_each_split_on_its_subset_and_tests_on_the_full_test_list(tmp_path):
    """``--samples 3`` beside the full lists (the subset is written when the jobs run, not in a dry run)."""
    root = official_tree('hmdb51')
    printed = benchmark([
        'hmdb51', '--data-root', root, '--work-dir', tmp_path, '--splits', '1', '--seeds', '0', '--samples', '3',
        '--dry-run'
    ])
    subset = tmp_path / 'lists' / 'hmdb51' / 'n3' / 'split1_seed0.txt'
    train = printed['finetune/hmdb51/scratch/n3/split1/seed0']['command']
    full = printed['finetune/hmdb51/scratch/full/split1/seed0']['command']
    assert f'train_dataloader.dataset.ann_file={subset} ' in train
    assert f'train_dataloader.dataset.ann_file={root}/hmdb51_train_split_1_videos.txt ' in full
    test_list = f'test_dataloader.dataset.ann_file={root}/hmdb51_val_split_1_videos.txt '
    assert test_list in printed['test/hmdb51/scratch/n3/split1/seed0']['command']
    assert test_list in printed['test/hmdb51/scratch/full/split1/seed0']['command']
