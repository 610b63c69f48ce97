"""Two costs MMEngine pays on every config, which a benchmark of many short jobs pays many times over.

Applied in the benchmark process and in every local job (``launch.run_tool``); the configs read and the
files written stay the same, only cheaper: measured on a tiny fine-tuning job, ~2.5 s of its ~4 s of CPU.
"""
import os.path as osp


def skip_config_formatting() -> None:
    """MMEngine writes a run's config text (the log, the dump, the visualizer's copy) formatted by yapf,
    ~1 s of CPU each time. Jobs write the same text unformatted: the same valid config, laid out plainly."""
    from mmengine.config import Config
    if getattr(Config.pretty_text.fget, 'unformatted', False):
        return
    original = Config.pretty_text.fget

    def pretty_text(self) -> str:
        formatted = self._format_python_code
        object.__setattr__(self, '_format_python_code', False)
        try:
            return original(self)
        finally:
            object.__setattr__(self, '_format_python_code', formatted)

    pretty_text.unformatted = True
    Config.pretty_text = property(pretty_text)


def index_package_configs_once() -> None:
    """To resolve a ``mmaction::`` base, MMEngine first looks the name up among the package's model configs
    by parsing every metafile the package lists (36 YAML files for MMAction2, ~0.4 s of CPU) on every config
    read. The index is read once per process instead (the installed packages do not change while we run)."""
    from mmengine.config import utils
    if getattr(utils._get_cfg_metainfo, 'indexed', False):
        return
    indexes = {}

    def _get_cfg_metainfo(package_path: str, cfg_path: str) -> dict:
        if package_path not in indexes:
            index = {}
            for meta_path in utils.load(osp.join(package_path, '.mim', 'model-index.yml'))['Import']:
                for model_cfg in utils.load(osp.join(package_path, '.mim', meta_path))['Models']:
                    if 'Config' in model_cfg:
                        index.setdefault(model_cfg['Config'].partition('/')[-1], model_cfg)
            indexes[package_path] = index
        if cfg_path not in indexes[package_path]:
            raise ValueError(f'Expected configs: {indexes[package_path].keys()}, but got {cfg_path}')
        return indexes[package_path][cfg_path]

    _get_cfg_metainfo.indexed = True
    utils._get_cfg_metainfo = _get_cfg_metainfo


def speed_up_config_handling() -> None:
    skip_config_formatting()
    index_package_configs_once()
