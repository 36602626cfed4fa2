"""Load the one YAML configuration: packaged defaults merged with an optional user file.

Two settings are paths, and neither depends on the folder a command is run from:

- `corpus` (the reports `reportsearch serve` indexes on first run and `reportsearch index`
  indexes when given no path). Unset (null), it is the folder of reports shipped with
  reportsearch, found by `shipped_seeds()`.
- `index_dir` (where the index lives). Taken from, in this order: `--index-dir` (the CLI
  sets it after loading), the environment variable REPORTSEARCH_INDEX_DIR, `index_dir` in the
  user's config file, and otherwise the per-user data folder (`default_index_dir()`, e.g.
  ~/.local/share/reportsearch/index on Linux).

Relative paths in a user config file are resolved against the folder of that file; a relative
REPORTSEARCH_INDEX_DIR against the current folder. `load_config` returns absolute paths.
"""
from __future__ import annotations

import copy
import functools
import os
from importlib import metadata, resources
from pathlib import Path

import yaml

APP_NAME = "reportsearch"
INDEX_DIR_ENV = "REPORTSEARCH_INDEX_DIR"


class ConfigError(Exception):
    pass


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


# libyaml's parser where PyYAML was built with it (~10x faster than the pure-Python one)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str):
    """YAML text as Python data, by the safe loader (the one way this project reads YAML)."""
    return yaml.load(text, Loader=_SAFE_LOADER)


@functools.lru_cache(maxsize=1)
def _parsed_defaults() -> dict:
    text = resources.files("index").joinpath("defaults.yaml").read_text(encoding="utf-8")
    return read_yaml(text) or {}


def default_config() -> dict:
    """The packaged defaults as written in defaults.yaml (corpus and index_dir unresolved):
    read once per process, a fresh copy for each caller (callers may change theirs)."""
    return copy.deepcopy(_parsed_defaults())


def shipped_seeds() -> Path | None:
    """The folder of sample reports that ships with reportsearch, or None when this
    installation has none.

    In a checkout (and so in the editable install `pip install -e .`), it is the top-level
    `seeds/` folder beside the packages. An installed wheel carries the same files as data
    files (setup.cfg `[options.data_files]`, under <prefix>/share/reportsearch/seeds); they
    are found through the installed distribution's file list, whatever the prefix."""
    root = Path(__file__).resolve().parent.parent
    if (root / "setup.cfg").is_file() and (root / "seeds").is_dir():
        return root / "seeds"
    try:
        files = metadata.distribution(APP_NAME).files or ()
    except metadata.PackageNotFoundError:
        return None
    for f in files:
        parts = f.parts
        if len(parts) >= 4 and parts[-4:-1] == ("share", APP_NAME, "seeds"):
            folder = Path(f.locate()).resolve().parent
            if folder.is_dir():
                return folder
    return None


def default_index_dir() -> Path:
    """The index folder when nothing says otherwise: `index` in the per-user data folder
    (platformdirs: $XDG_DATA_HOME/reportsearch or ~/.local/share/reportsearch on Linux,
    ~/Library/Application Support/reportsearch on macOS, %LOCALAPPDATA%\\reportsearch on
    Windows). Not created here: `reportsearch index` / `serve` create it when they build."""
    import platformdirs
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "index"


def _path(value, base: Path, key: str, source: str) -> str:
    if not isinstance(value, (str, os.PathLike)) or not str(value).strip():
        raise ConfigError(f"{source} 中的 {key} 应是文件夹路径，现在是 {value!r}。")
    path = Path(os.path.expanduser(str(value).strip()))
    return os.path.normpath(path if path.is_absolute() else base / path)


def resolve_paths(config: dict, user: dict, base: Path, source: str = "配置文件",
                  environ=None) -> dict:
    """`config` with corpus and index_dir as absolute paths (see the module docstring);
    `user` is what the user's config file set, relative to the folder `base`."""
    environ = os.environ if environ is None else environ
    config = dict(config)
    corpus = user.get("corpus") if "corpus" in user else None
    if corpus is None:
        seeds = shipped_seeds()
        config["corpus"] = [str(seeds)] if seeds else []
    else:
        items = [corpus] if isinstance(corpus, (str, os.PathLike)) else corpus
        if not isinstance(items, list):
            raise ConfigError(f"{source} 中的 corpus 应是文件夹（或文件）路径的列表。")
        config["corpus"] = [_path(p, base, "corpus", source) for p in items]
    from_env = (environ.get(INDEX_DIR_ENV) or "").strip()
    if from_env:
        config["index_dir"] = _path(from_env, Path.cwd(), INDEX_DIR_ENV, "环境变量")
    elif user.get("index_dir") is not None:
        config["index_dir"] = _path(user["index_dir"], base, "index_dir", source)
    else:
        config["index_dir"] = str(default_index_dir())
    return config


def load_config(path: str | Path | None = None) -> dict:
    """The defaults, with the keys of the YAML file at `path` (if given) laid over them, and
    corpus / index_dir resolved to absolute paths (module docstring)."""
    config = default_config()
    if path is None:
        return resolve_paths(config, {}, Path.cwd())
    try:
        user = read_yaml(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件 {path}：{exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"配置文件 {path} 不是有效的 YAML：{exc}") from None
    if not isinstance(user, dict):
        raise ConfigError(f"配置文件 {path} 应是“设置名: 取值”的映射")
    base = Path(os.path.abspath(path)).parent
    return resolve_paths(_merge(config, user), user, base, f"配置文件 {path}")
