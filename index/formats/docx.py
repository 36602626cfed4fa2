"""Word (.docx) reports: paragraphs and tables in document order, with automatic numbering.

Chinese reports often number their headings with Word's automatic numbering (一、 （一） 1.):
the marker is not in the paragraph's text, and python-docx does not render it, so we compute
it from numbering.xml: each numbered paragraph advances its level's counter, restarts the
deeper levels, and its level's lvlText ("%1、", "（%2）") is filled in with each level's format.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from ..model import IngestError
from . import Extracted
from .archive import check_zip
from .lines import join_broken

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A table cell longer than this is page layout (a report pasted into a table), not data.
LAYOUT_CELL_CHARS = 200
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def extract_docx(data: bytes, ingest: dict) -> Extracted:
    """`ingest`: the config's ingest: section (the unpacked-size limits)."""
    import docx

    if data.startswith(_OLE_MAGIC):
        raise IngestError("这是旧版 Word（.doc）文件而非 .docx，请用 Word 或 WPS 另存为 .docx 再索引")
    if not data.startswith(b"PK"):
        raise IngestError("不是有效的 Word（.docx）文件（不是 zip 压缩包），可能已损坏或扩展名有误")
    try:
        check_zip(data, ingest, "Word 文件")
        document = docx.Document(io.BytesIO(data))
        numbers = _Numbering(document)
        lines = _document_lines(document, numbers)
    except IngestError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError) as exc:
        raise IngestError("Word 文件已损坏或不完整（无法解开其中的内容），"
                          "请重新下载或用 Word 另存一份") from exc
    except Exception as exc:  # python-docx/lxml raise many kinds on a malformed package
        raise IngestError(f"Word 文件无法读取（{type(exc).__name__}），可能已损坏") from exc
    hints = {}
    title = (document.core_properties.title or "").strip()
    # Core properties are often stale template values; trust the title only when the
    # document really opens with it.
    if title and any(_squeeze(title) == _squeeze(line) for line in lines[:5]):
        hints["title"] = title
    return Extracted(text="\n".join(lines), hints=hints)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _document_lines(document, numbers: "_Numbering") -> list[str]:
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += _table_lines(block, numbers)
        else:
            lines += _paragraph_lines(block, numbers)
    return lines


def _paragraph_lines(paragraph, numbers: "_Numbering") -> list[str]:
    text = paragraph.text
    marker = numbers.marker(paragraph)
    if not text.strip():
        return []
    if marker and not text.lstrip().startswith(marker):
        text = marker + text.lstrip()
    # A manual line break (Shift+Enter) splits lines inside one paragraph: in a title it is
    # only visual, in pasted text it often ends a paragraph; the sentence rule decides.
    return join_broken(text.replace("\t", " ").split("\n"))


def _table_lines(table, numbers: "_Numbering") -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:        # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(cell)
        texts = [" ".join(t for t in (p.text.strip() for p in c.paragraphs) if t) for c in cells]
        if any(len(t) > LAYOUT_CELL_CHARS for t in texts) or any(c.tables for c in cells):
            for cell in cells:              # layout table: each cell's content as blocks
                for block in cell.iter_inner_content():
                    if hasattr(block, "rows"):
                        lines += _table_lines(block, numbers)
                    else:
                        lines += _paragraph_lines(block, numbers)
            continue
        texts = [t.replace("\n", " ") for t in texts if t]
        if texts:
            lines.append("\t".join(texts))
    return lines


class _Numbering:
    """Renders the automatic number of numbered paragraphs, in document order."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}   # abstractNumId -> ...
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}           # numId -> ...
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                levels[ilvl] = (int(_val(lvl, "start") or 1), _val(lvl, "numFmt") or "decimal",
                                _val(lvl, "lvlText") or "")
            self.levels[abstract.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            overrides = {}
            for o in num.iter(f"{_W}lvlOverride"):
                start = _val(o, "startOverride")
                if start is not None:
                    overrides[int(o.get(f"{_W}ilvl", "0"))] = int(start)
            self.nums[num.get(f"{_W}numId")] = (_val(num, "abstractNumId"), overrides)
        self.styles = document.styles

    def marker(self, paragraph) -> str:
        num_id, ilvl = self._num_pr(paragraph)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        # Lists that share an abstract definition share counters unless restarted.
        key = num_id if overrides else f"a{abstract_id}"
        counters = self.counters.setdefault(key, {})
        start = overrides.get(ilvl, levels[ilvl][0])
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _, fmt, text = levels[ilvl]
        if fmt in ("bullet", "none") or not text:
            return ""

        def level_number(m):
            level = int(m.group(1)) - 1
            value = counters.get(level, overrides.get(level, levels.get(level, (1,))[0]))
            return format_number(value, levels.get(level, (1, "decimal", ""))[1])

        return re.sub(r"%([1-9])", level_number, text)

    def _num_pr(self, paragraph) -> tuple[str | None, int]:
        p_pr = paragraph._p.pPr
        num_pr = p_pr.find(f"{_W}numPr") if p_pr is not None else None
        style = paragraph.style
        # numbering set on the paragraph wins; otherwise it comes from the style chain
        while num_pr is None and style is not None:
            s_pr = style.element.find(f"{_W}pPr")
            num_pr = s_pr.find(f"{_W}numPr") if s_pr is not None else None
            style = style.base_style
        if num_pr is None:
            return None, 0
        return _val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0)


def _val(el, child: str) -> str | None:
    found = el.find(f"{_W}{child}")
    return found.get(f"{_W}val") if found is not None else None


_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def format_number(n: int, fmt: str) -> str:
    """`n` written in Word's numbering format `fmt` (w:numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographDigital",
               "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n, _CN_DIGITS, "十")
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾")
    if fmt in ("ideographTraditional",) and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt in ("ideographZodiac",) and 1 <= n <= 12:
        return _DIZHI[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and n >= 1:
        out = ""
        for value, numeral in _ROMAN:
            while n >= value:
                out, n = out + numeral, n - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _chinese(n: int, digits: str, ten: str) -> str:
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return (digits[tens] if tens > 1 else "") + ten + (digits[ones] if ones else "")
