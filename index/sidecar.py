"""Sidecar metadata: `NAME.yaml` beside `NAME.txt` sets or corrects any metadata field.

A sidecar always wins over extraction. Example (every key optional):

    title: 某某区人民政府关于2023年法治政府建设情况的报告
    issuer: 某某区人民政府
    level: 县级          # 省级 | 市级 | 县级 | 乡镇级
    province: 安徽       # short form
    city: 淮南
    year: 2023
    published: 2024-03-29
    url: https://www.example.gov.cn/…
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import replace
from pathlib import Path

import yaml

from .config import read_yaml
from .model import ISSUER_TYPES, LEVELS, SIDECAR_FIELDS, IngestError, Metadata

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def sidecar_name(report_path: str) -> str:
    """The sidecar of a report file: the same name with .yaml for its extension (a string
    function: incremental runs call it for every file of the corpus)."""
    return os.path.splitext(report_path)[0] + ".yaml"


def sidecar_path(report_path: str | Path) -> Path:
    return Path(sidecar_name(os.fspath(report_path)))


def read_sidecar(report_path: str | Path) -> tuple[dict, bytes]:
    """(fields, raw bytes) of the sidecar, or ({}, b"") when there is none."""
    path = sidecar_path(report_path)
    if not path.is_file():
        return {}, b""
    raw = path.read_bytes()
    try:
        fields = read_yaml(raw.decode("utf-8")) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise IngestError(f"附带的 {path.name} 不是有效的 UTF-8 YAML：{exc}".splitlines()[0]) from None
    if not isinstance(fields, dict):
        raise IngestError(f"附带的 {path.name} 应是“字段: 值”的映射")
    unknown = sorted(set(fields) - set(SIDECAR_FIELDS))
    if unknown:
        raise IngestError(f"附带的 {path.name} 有未知字段 {', '.join(map(str, unknown))}；"
                          f"可用字段：{', '.join(SIDECAR_FIELDS)}")
    return {k: _check(path.name, k, v) for k, v in fields.items()}, raw


def _check(name: str, key: str, value):
    if value is None:
        return None
    if key == "year":
        if isinstance(value, int) and 1990 <= value <= 2100:
            return value
        raise IngestError(f"附带的 {name} 中 year 应为四位年份，而不是 {value!r}")
    if key in ("published", "dated"):
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str) and _DATE.match(value):
            return value
        raise IngestError(f"附带的 {name} 中 {key} 应为 YYYY-MM-DD 日期，而不是 {value!r}")
    if key == "level" and value not in LEVELS:
        raise IngestError(f"附带的 {name} 中 level 应为 {'/'.join(LEVELS)} 之一")
    if key == "issuer_type" and value not in ISSUER_TYPES:
        raise IngestError(f"附带的 {name} 中 issuer_type 应为 {'/'.join(ISSUER_TYPES)} 之一")
    return str(value).strip()


def apply_sidecar(meta: Metadata, fields: dict) -> Metadata:
    if not fields:
        return meta
    meta = replace(meta, **fields)
    if "title" in fields:
        meta.title_derived = False
    return meta
