"""The benchmark protocol: pretrain by rotation, fine-tune from pretrained and from scratch,
evaluate (multi-clip top-1, frozen-feature retrieval and linear probe, rotation accuracy), report."""
