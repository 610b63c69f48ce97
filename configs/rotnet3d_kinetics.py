# 3DRotNet pretraining on Kinetics-400 (Jing et al., arXiv:1811.11387), the README's entry point:
#   python tools/train.py configs/rotnet3d_kinetics.py     # -> work_dirs/rotnet3d_kinetics/
# The recipe is configs/rotnet3d/rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py; the other backbones lie beside it.
_base_ = ['rotnet3d/rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py']
