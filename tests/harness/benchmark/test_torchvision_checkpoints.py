"""tools/benchmark.py on checkpoints in torchvision's layout (r3d_18, mc3_18, r2plus1d_18): told by their keys and
planned with the configs of their own architecture (beside a random-init baseline of it); a file that fits no
reading is refused with the flag that would fit. A converted checkpoint fine-tuned, tested and judged frozen:
test_ucf101.py."""

import pytest
import torch
from official_trees import benchmark, narrow_torchvision_file, official_tree, tiny_options
from torchvision_video import video_resnet

from mmrot3d.utils.shipped_files import shipped_path

FINETUNE = 'configs/rotnet3d/finetune/{}_scratch_1xb32-16x2x1-150e_ucf101-split1-rgb.py'


def test_torchvisions_checkpoints_are_planned_with_the_configs_of_their_architecture(tmp_path):
    names = dict(r3d='r3d_18', mc3='mc3_18', r21d='r2plus1d_18')
    argv = ['ucf101', '--data-root', official_tree('ucf101'), '--work-dir', tmp_path / 'work', '--splits', '1']
    for name, model in names.items():
        torch.save(video_resnet(model).state_dict(), tmp_path / f'{model}.pth')  # fc (400 classes) included
        argv += ['--backbone', f'{name}={tmp_path / model}.pth']
    printed = benchmark(argv + ['--seeds', '0', '--dry-run'])
    archs = dict(r3d='r3d18-torchvision', mc3='mc3-18-torchvision', r21d='r2plus1d18-torchvision')
    assert {k.split('/')[2] for k in printed if k.startswith('finetune/')} == \
        {*names, *(f'scratch-{arch}' for arch in archs.values())}  # no 'scratch' of our R3D-18: none of ours
    for name, arch in archs.items():
        for job in (f'finetune/ucf101/{name}/full/split1/seed0', f'test/ucf101/{name}/full/split1/seed0',
                    f'frozen/ucf101/{name}', f'finetune/ucf101/scratch-{arch}/full/split1/seed0'):
            assert str(shipped_path(FINETUNE.format(arch))) in printed[job]['command'], job
        assert f'pretrained_backbone.checkpoint={tmp_path}/work/backbones/{name}.pth' in \
            printed[f'finetune/ucf101/{name}/full/split1/seed0']['command']


# how the file was saved -> (flags given, how the refusal ends)
SAVED = {
    'module': ([], "the backbone lies under 'module.': it fits r3d18-torchvision with --prefix tv=module."),
    'nested': ([], "(in the nested entry 'model_state'): it fits r3d18-torchvision with --prefix tv=model_state."),
    'format': (['--format', 'tv=mmaction2'], 'it fits r3d18-torchvision with --format tv=torchvision'),
}


def saved(case, state):
    return dict(module={f'module.{k}': v for k, v in state.items()}, nested=dict(model_state=state), format=state)[case]


def refusal(tmp_path, *flags) -> str:
    with pytest.raises(SystemExit) as stop:
        benchmark([
            'ucf101', '--data-root',
            official_tree('ucf101'), '--work-dir', tmp_path / 'work', '--backbone', f'tv={tmp_path / "tv.pth"}', *flags,
            '--dry-run', '--cfg-options', *tiny_options()
        ])
    message = str(stop.value)
    assert message.startswith(f'error: --backbone tv={tmp_path / "tv.pth"} does not fit the backbone of ')
    assert '\n' not in message and not (tmp_path / 'work' / 'backbones').exists()
    return message


@pytest.mark.parametrize('case', SAVED)
def test_a_file_that_fits_no_reading_is_refused_with_the_flag_that_fits(tmp_path, case):
    narrow_torchvision_file(tmp_path / 'tv.pth', wrap=lambda state: saved(case, state))
    flags, says = SAVED[case]
    assert refusal(tmp_path, *flags).endswith(says)


def test_a_stem_of_another_kernel_is_named(tmp_path):
    """A VideoResNet with a 7x7x7 stem has all the shapes of our R3D-18, but not its function (ours max-pools):
    a torchvision-keyed file only goes into the architecture that computes torchvision's model."""
    narrow_torchvision_file(tmp_path / 'tv.pth', wrap=lambda s: {**s, 'stem.0.weight': torch.zeros(8, 3, 7, 7, 7)})
    assert refusal(tmp_path).endswith(
        "closest: r3d18-torchvision, 119 of 120 tensors fit; the file has the keys of torchvision's r3d_18, which "
        'the backbone of configs/_base_/models/r3d18-torchvision_classifier.py computes; a 7x7x7 stem where '
        'r3d18-torchvision has 3x7x7')
