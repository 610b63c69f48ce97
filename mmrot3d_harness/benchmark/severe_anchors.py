"""Published SEVERE numbers of R(2+1)D-18 backbones pretrained on Kinetics-400, the anchor rows of ``results.md``'s
SEVERE table (never run here).

Source: the SEVERE++ paper's Tables 3-10 (Thoker, Jiang, Zhao, Bagad, Doughty, Ghanem, Snoek, "SEVERE++: Evaluating
Benchmark Sensitivity in Generalization of Video Representation Learning", arXiv 2504.05706), as its project page
transcribes them: github.com/bpiyush/SEVERE-plus-plus-website, ``data.js`` at commit 8112f02 (arrays ``ft``: K400,
UCF101, NTU60, Gym99, SSv2, EK100; ``smp``: UCF101, Gym99 with 1000 samples; ``act``: Gym99, Vault, Floor, FX-S1,
UB-S1, Gym288; ``tsk`` [4]: Charades mAP). SEVERE++ extends SEVERE (ECCV 2022) with the same CNN protocol; these
values were not checked against either paper's PDF here. Tubelet-Contrast (ICCV 2023) is not in the ECCV 2022 paper.
Gym99 is the domain-shift table's (the granularity table's "Gym99, all events" differs: 88.6 for supervised).
"""
from typing import Dict

CITATION = ('SEVERE++ (Thoker et al., arXiv 2504.05706), Tables 3-10, as transcribed by its project page '
            '(github.com/bpiyush/SEVERE-plus-plus-website, data.js at 8112f02); R(2+1)D-18, Kinetics-400 '
            'pretraining; not checked against the papers\' PDFs')
COLUMNS = ('ucf101-severe', 'sthv2', 'gym99', 'ucf101-1000', 'gym99-1000', 'fx-s1', 'ub-s1', 'gym288', 'charades')
# method -> (UCF101, SSv2, Gym99, UCF 10^3, Gym 10^3, FX-S1, UB-S1, Gym288, Charades mAP), in COLUMNS order
_ROWS = {
    'SeLaVi': (85.2, 56.2, 88.9, 69.1, 28.3, 51.3, 80.9, 52.8, 8.4),
    'MoCo': (83.3, 57.1, 90.7, 60.6, 29.0, 65.0, 84.5, 55.1, 8.3),
    'VideoMoCo': (84.9, 59.0, 90.3, 65.8, 19.1, 57.3, 83.9, 54.1, 10.5),
    'Pretext-Contrast': (87.7, 56.9, 90.5, 62.7, 25.9, 66.1, 86.1, 52.7, 8.9),
    'RSPNet': (88.7, 59.0, 91.1, 75.6, 32.2, 65.4, 83.6, 55.2, 9.0),
    'AVID-CMA': (88.8, 52.0, 90.4, 68.8, 32.1, 68.0, 87.3, 52.5, 8.2),
    'CtP': (90.1, 59.6, 92.0, 63.7, 31.2, 79.1, 88.8, 56.5, 9.6),
    'TCLR': (90.8, 59.8, 91.6, 70.5, 24.4, 60.7, 84.7, 55.4, 12.2),
    'GDT': (91.3, 58.0, 90.5, 77.8, 44.0, 66.0, 83.4, 55.4, 8.5),
    'Tubelet-Contrast': (91.0, 60.2, 92.8, 67.7, 44.6, 80.1, 91.0, 57.4, 9.9),
    'Supervised (K400)': (91.4, 60.8, 92.1, 86.0, 51.2, 79.0, 87.1, 58.4, 23.5),
}
ANCHORS: Dict[str, Dict[str, float]] = {method: dict(zip(COLUMNS, values)) for method, values in _ROWS.items()}
