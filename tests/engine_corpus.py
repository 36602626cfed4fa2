"""Test corpora for the index writer and the engine, and a stand-in for index.pipeline.

The stand-in reads a tiny file format (a `key: value` header, a `---` line, then one
paragraph per line, headings marked with `# `), so that writer and engine tests do not depend
on the metadata extraction stage. Corpora are built from the seeds' real paragraphs,
recombined with random places and years.
"""
from __future__ import annotations

import hashlib
import random
import re
import sys
import types
from contextlib import contextmanager
from pathlib import Path

from index.model import SECTIONS, IngestError, Metadata, Paragraph, Report

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PLACES = [("浙江", "温州", "市级"), ("安徽", "淮南", "县级"), ("江苏", "常州", "县级"),
          ("广西", "桂林", "市级"), ("内蒙古", "包头", "乡镇级"), ("四川", None, "省级"),
          ("广东", "深圳", "市级"), ("河南", "洛阳", "县级")]
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")


def seed_paragraphs() -> list[tuple[str, str]]:
    """(kind, text) of every non-empty line of the seeds."""
    out = []
    for f in sorted(SEEDS.glob("*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line:
                out.append(("heading" if _HEADING.match(line) and len(line) < 60 else "text",
                            line))
    return out


def write_report_file(path: Path, meta: dict, paragraphs: list[tuple[str, str]]) -> Path:
    head = "".join(f"{k}: {v}\n" for k, v in meta.items() if v is not None)
    body = "".join(("# " if kind == "heading" else "") + text + "\n" for kind, text in paragraphs)
    path.write_text(head + "---\n" + body, encoding="utf-8")
    return path


def read_fake_report(path, config=None) -> Report:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"无法读取 {path.name}") from exc
    text = raw.decode("utf-8")
    if "---\n" not in text:
        raise IngestError("没有可识别的报告正文（中文正文过少）")
    head, body = text.split("---\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    rid = path.stem
    m = Metadata(title=meta.get("title"), issuer=meta.get("issuer"),
                 issuer_type=meta.get("issuer_type"), level=meta.get("level"),
                 province=meta.get("province"), city=meta.get("city"),
                 year=int(meta["year"]) if meta.get("year") else None,
                 published=meta.get("published"), url=meta.get("url"))
    paras, section, path_heads = [], SECTIONS[0], []
    for i, line in enumerate(l for l in body.splitlines() if l.strip()):
        kind = "heading" if line.startswith("# ") else "text"
        line = line[2:] if kind == "heading" else line
        if kind == "heading":
            path_heads = [line]
            section = SECTIONS[1 + (i % 4)]
        paras.append(Paragraph(f"{rid}-p{i + 1}", i + 1, kind, section, list(path_heads), line))
    return Report(file=str(path), report_id=rid, meta=m, paragraphs=paras,
                  content_hash=hashlib.sha256(raw).hexdigest(),
                  traditional=meta.get("traditional") == "1")


def collect_fake_files(paths, config=None) -> list[Path]:
    out = []
    for p in map(Path, paths):
        out.extend(sorted(p.rglob("*.rpt")) if p.is_dir() else [p])
    return out


@contextmanager
def fake_pipeline():
    """Install the stand-in as index.pipeline for the duration (forked workers inherit it)."""
    fake = types.ModuleType("index.pipeline")
    fake.read_report = read_fake_report
    fake.collect_files = collect_fake_files
    saved = sys.modules.get("index.pipeline")
    sys.modules["index.pipeline"] = fake
    import index
    saved_attr = getattr(index, "pipeline", None)
    index.pipeline = fake
    try:
        yield fake
    finally:
        if saved is not None:
            sys.modules["index.pipeline"] = saved
        else:
            sys.modules.pop("index.pipeline", None)
        if saved_attr is not None:
            index.pipeline = saved_attr


def make_corpus(folder: Path, n_reports: int, seed: int = 7, paras_per_report=(8, 30)) -> None:
    """`n_reports` report files in `folder`, made of random runs of the seeds' paragraphs."""
    rng = random.Random(seed)
    pool = seed_paragraphs()
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n_reports):
        province, city, level = rng.choice(PLACES)
        year = rng.choice([2020, 2021, 2022, 2023, 2024])
        place = (city or province) + rng.choice(["", "市", "区"])
        k = rng.randint(*paras_per_report)
        start = rng.randrange(len(pool))
        paras = [pool[(start + j) % len(pool)] for j in range(k)]
        if rng.random() < 0.3:
            paras = [(kind, t.replace("法治", "法 治")) for kind, t in paras]
        meta = {"title": f"{place}人民政府关于{year}年法治政府建设情况的报告",
                "issuer": f"{place}人民政府" if rng.random() < 0.7 else f"{place}司法局",
                "issuer_type": rng.choice(["政府", "部门"]), "level": level,
                "province": province, "city": city, "year": year,
                "published": f"{year + 1}-03-{rng.randint(10, 28)}"}
        write_report_file(folder / f"r{i:04d}.rpt", meta, paras)
