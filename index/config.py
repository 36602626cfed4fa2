"""Load the one YAML configuration: packaged defaults merged with an optional user file."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml


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


def default_config() -> dict:
    text = resources.files("index").joinpath("defaults.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def load_config(path: str | Path | None = None) -> dict:
    """The defaults, with the keys of the YAML file at `path` (if given) laid over them."""
    config = default_config()
    if path is None:
        return config
    try:
        user = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from None
    if not isinstance(user, dict):
        raise ConfigError(f"config file {path} must be a mapping of settings")
    return _merge(config, user)
