"""Render the first page of a real Word export to a PNG for the README (docs/export-docx.png).

    python docs/render_docx.py [--query 规范性文件] [--count 3] [--notes footnote|list]
                               [--out docs/export-docx.png] [--docx keep/it/here.docx]

What it does, end to end, as a user would get it:
1. indexes the shipped reports (seeds/) into a temporary folder and searches `--query`;
2. takes the first `--count` hits, each with its GB/T 7714 citation, and makes the .docx with
   web.export.excerpts_docx, exactly what /api/export.docx serves;
3. converts it to PDF with LibreOffice headless and page 1 to PNG with pdftoppm.

Needs Debian's libreoffice-writer-nogui (or libreoffice-writer) and poppler-utils. Not used by
the test suite (tests/test_export.py only converts with LibreOffice when it is installed).

Fonts. The 公文 faces (仿宋_GB2312, 方正小标宋简体, 楷体_GB2312; 黑体 and 宋体 from
Windows) are commercial and not on a Linux machine. LibreOffice ignores the fallbacks the
.docx names in its font table (w:altName), so for the conversion only this script writes a
fontconfig file that maps each face to a freely licensed one of the same kind: the Fandol
fonts of Debian's texlive-lang-chinese (FandolFang 仿宋, FandolSong 宋, FandolHei 黑,
FandolKai 楷), else Noto CJK / AR PL if installed. It prints which fonts the PDF embeds.
The picture shows the layout (A4, margins, 22 lines, indents, footnotes, page number); the
faces are stand-ins.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FANDOL_DIRS = ["/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
               "/usr/share/texmf/fonts/opentype/public/fandol"]

# Face the document names -> free faces to use instead, best first.
STAND_INS = {
    "仿宋_GB2312": ["FandolFang", "AR PL KaitiM GB", "Noto Serif CJK SC"],
    "仿宋": ["FandolFang", "Noto Serif CJK SC"],
    "方正小标宋简体": ["FandolSong", "Noto Serif CJK SC", "AR PL SungtiL GB"],
    "宋体": ["FandolSong", "Noto Serif CJK SC", "AR PL SungtiL GB"],
    "黑体": ["FandolHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei"],
    "楷体_GB2312": ["FandolKai", "AR PL KaitiM GB", "AR PL UKai CN"],
    "楷体": ["FandolKai", "AR PL KaitiM GB", "AR PL UKai CN"],
}


def fontconfig_file(folder: Path) -> Path:
    """A fonts.conf: the system's configuration, the Fandol folder, and one strong alias per
    公文 face."""
    rules = []
    for face, choices in STAND_INS.items():
        families = "".join(f"<string>{escape(c)}</string>" for c in choices)
        rules.append(
            f'<match target="pattern"><test name="family"><string>{escape(face)}</string></test>'
            f'<edit name="family" mode="assign" binding="strong">{families}</edit></match>')
    dirs = "".join(f"<dir>{d}</dir>" for d in FANDOL_DIRS if Path(d).is_dir())
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f'{dirs}<cachedir>{folder / "fc-cache"}</cachedir>{"".join(rules)}</fontconfig>',
        encoding="utf-8")
    return conf


def sample_excerpts(query: str, count: int, folder: Path) -> list[dict]:
    from index.config import load_config
    from index.writer import update_index
    from searcher import open_searcher
    from searcher.citation import citation

    config = load_config()
    update_index([str(ROOT / "seeds")], str(folder / "index"), config)
    searcher = open_searcher(str(folder / "index"), config)
    today = dt.date.today()
    excerpts = []
    for hit in searcher.search(query, limit=100)["hits"]:
        p = dict(searcher.paragraph(hit["id"]))
        if p.get("kind") == "heading":          # what a user collects is body text
            continue
        p["citation"] = citation(p, today, config)
        excerpts.append(p)
    if not excerpts:
        raise SystemExit(f"no paragraph of seeds/ contains {query!r}")
    return excerpts[:count]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--query", default="规范性文件")
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--notes", default="footnote", choices=["footnote", "list"])
    ap.add_argument("--out", default=str(ROOT / "docs" / "export-docx.png"))
    ap.add_argument("--docx", help="also keep the .docx here")
    ap.add_argument("--dpi", type=int, default=90)
    args = ap.parse_args(argv)
    for tool in ("soffice", "pdftoppm"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found: apt-get install libreoffice-writer-nogui "
                             "poppler-utils")

    from web.export import excerpts_docx

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        excerpts = sample_excerpts(args.query, args.count, folder)
        path = folder / "excerpts.docx"
        path.write_bytes(excerpts_docx(excerpts, args.notes))
        if args.docx:
            shutil.copyfile(path, args.docx)
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(folder)))
        profile = (folder / "lo").as_uri()      # a fresh LibreOffice profile, not the user's
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}",
                        "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                       check=True, capture_output=True, env=env, timeout=300)
        pdf = path.with_suffix(".pdf")
        if shutil.which("pdffonts"):
            print(subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout)
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            print("\n".join(line for line in info.splitlines()
                            if line.startswith(("Pages", "Page size"))))
        stem = folder / "page"
        subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), "-f", "1", "-l", "1",
                        "-singlefile", str(pdf), str(stem)], check=True)
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        try:                      # a hairline frame so the white page shows on a white README
            from PIL import Image, ImageOps
            ImageOps.expand(Image.open(f"{stem}.png").convert("L"), border=1,
                            fill=176).save(out, optimize=True)
        except ImportError:
            shutil.copyfile(f"{stem}.png", out)
        print(f"{out} ({len(excerpts)} excerpts for {args.query!r}, notes={args.notes})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
