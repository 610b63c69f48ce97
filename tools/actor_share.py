#!/usr/bin/env python
"""The share of a backbone's activation on the synthetic actor: python tools/actor_share.py CONFIG LIST [...]

Also ``mmrot3d actor_share``; every option: ``--help`` (mmrot3d_harness/commands/actor_share.py).
"""
from mmrot3d_harness.commands.actor_share import main

if __name__ == '__main__':
    main()
