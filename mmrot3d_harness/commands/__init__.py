"""The command-line tools, one module each with ``main(argv=None)``: run as ``mmrot3d COMMAND ...`` (the
console script), ``python -m mmrot3d_harness COMMAND ...``, or the thin script ``tools/COMMAND.py`` (shipped
in ``mmrot3d/.mim/tools/``, which ``mim train mmrot3d CONFIG`` runs). Importing this package imports nothing
heavy: the benchmark must set up its GPU checks before torch is imported."""

COMMANDS = {
    'train': 'train a config (pretraining or fine-tuning), MMAction2 tools/train.py flags',
    'test': 'test a checkpoint, MMAction2 tools/test.py flags',
    'demo': 'the demo: synthetic data, pretraining, fine-tuning both arms, report',
    'benchmark': 'benchmark pretrained backbones on UCF101 / HMDB51 or the synthetic presets',
    'export_backbone': "export a pretraining run's backbone as a plain tensor file",
    'eval_frozen': 'frozen-feature evaluation: retrieval and a linear probe',
    'extract_features': 'features of a frozen backbone, one file per video',
    'check_dataset': 'check every video of a list before a long run',
    'visualize_activations': 'activation maps or Grad-CAM over videos',
    'actor_share': "the share of a backbone's activation on the synthetic actor",
    'audit_pretext': 'which cues a rotation model uses: its accuracy on controls that each keep one',
    'trust_checkpoint': 'record full checkpoints you trust',
}
