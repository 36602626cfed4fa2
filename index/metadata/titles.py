from __future__ import annotations

import re

from .common import _is_body_text, _CN_YEAR_RE, _HEADING_START, _YEAR_RE
from .dates import _label_re, report_years
from .issuer import _is_org_line

def _is_title_line(line: str, cfg: dict) -> bool:
    if len(line) > 80 or "。" in line or _HEADING_START.match(line):
        return False
    if any(x in line for x in cfg["title_exclude"]):
        return False
    if not any(k in line for k in cfg["title_keywords"]):
        return False
    return re.search(cfg["title_ending"], line) is not None




def _title_score(title: str) -> float:
    # A year and an issuer make a real title; "法治政府建设年度报告" alone is a column name.
    # Among real titles the fuller (longer) one wins: a page repeats its title.
    score = 2.0 if report_years(title) else 0.0
    score += 2.0 if title_issuer(title) else 0.0
    return score + len(title) / 1000


_LIST_MARK = re.compile(r"^[\s•·●○◆▪■□*\-–—]+")


def _title_variants(line: str, cfg: dict) -> list[str]:
    """The line, without a leading list mark (• ) or 标题: label, and without a trailing site
    name after a separator ("…年度报告_某某区人民政府网")."""
    line = _LIST_MARK.sub("", line)
    line = re.sub(r"^(%s)\s*[::]\s*" % "|".join(map(re.escape, cfg["title_labels"])), "", line)
    variants = [line]
    # A title sharing its line with the publishing chrome: "…年度报告 发布时间:2024-01-05".
    label = re.search(_label_re(cfg["published_labels"] + cfg["source_labels"]) + r"\s*[::]", line)
    if label and label.start() > 0:
        variants.append(line[: label.start()].strip())
    for sep in cfg["title_separators"]:
        if sep in line:
            variants += [part.strip() for part in line.split(sep)]
    return variants


def _title_joined_with_next(lines: list[str], i: int, cfg: dict) -> str | None:
    """A title wrapped anywhere over two lines ("关于某区2025年度法治政府" / "建设情况的报告"):
    neither line is a title alone, together they are one."""
    if i + 1 >= len(lines):
        return None
    line, nxt = lines[i], lines[i + 1]
    if "。" in line or len(nxt) > cfg["title_wrap_max_chars"] or _is_title_line(nxt, cfg) \
            or _HEADING_START.match(nxt):
        return None
    joined = line.strip() + nxt.strip()
    return joined if _is_title_line(joined, cfg) else None


_TITLE_RUN = "\u4e00-\u9fff\\d()()〔〕"
# A title glued between site chrome and the body on one line ("…www.example.com某省人民政府
# 关于2023年度法治政府建设情况的报告2023年,省政府坚持…"): a run of title characters after a
# non-title character, ending like a title, right before the body's first year.
_GLUED_TITLE = re.compile(rf"(?:^|(?<=[^{_TITLE_RUN}]))([{_TITLE_RUN}]{{6,80}}?(?:报告|情况|总结))"
                          rf"(?=\s*(?:19|20)\d{{2}}\s*年)")
_CITED_TITLE = re.compile(r"^\s*《([^《》]{6,80})》")


def _title_in_body_line(line: str, cfg: dict) -> str | None:
    """The report's title inside the first body line, when the page has none of its own: a
    title glued to the chrome before it and the body after it (see _GLUED_TITLE), or cited
    at the line's start ("《某市人民政府2018年度法治政府建设工作报告》是…发布的…"). Only a
    full title (a year and an issuer) counts."""
    head = line[:200]
    found = [m.group(1) for m in _GLUED_TITLE.finditer(head)]
    cited = _CITED_TITLE.match(head)
    if cited:
        found.insert(0, cited.group(1).strip())
    for title in found:
        if _is_title_line(title, cfg) and _title_score(title) >= 4:
            return title
    return None


def _line_titles(lines: list[str], i: int, cfg: dict, levels_cfg: dict) -> list[tuple[str, int]]:
    """Title candidates of line i: the line itself (its variants), joined with the line
    before it when that is the title's first part ("某局关于2022年度" / "法治政府建设情况的报告"),
    or joined with the next."""
    out = [(v, i) for v in _title_variants(lines[i], cfg) if _is_title_line(v, cfg)]
    prev = lines[i - 1].strip() if i > 0 else ""
    if out and prev and "。" not in prev and len(prev) <= cfg["title_wrap_max_chars"] \
            and not _is_title_line(prev, cfg):
        # (a full title alone is not joined to a line above it: 附件 / 某局关于2021年度…报告)
        out += [(prev + v, i) for v, _ in out if _title_score(v) < 4 and _is_title_line(prev + v, cfg)]
    if not out:
        joined = _title_joined_with_next(lines, i, cfg)
        if joined:
            out.append((joined, i + 1))
    return out


def find_title(lines: list[str], body_start: int | None, cfg: dict,
               levels_cfg: dict) -> tuple[str | None, int]:
    """The report's title and the index of its (last) line; (None, -1) when there is none."""
    limit = max(cfg["title_search_lines"], body_start or 0)
    candidates: list[tuple[str, int]] = []
    after_body = False   # past a first body line with no title above it (a cover letter)
    for i, line in enumerate(lines[:limit]):
        if _is_body_text(line):
            if candidates:
                break
            inline = _title_in_body_line(line, cfg)
            if inline:
                # The opening then starts on this line (its body follows the title).
                candidates.append((inline, i - 1))
                break
            after_body = True
            continue
        if after_body:
            # Below a cover letter ("市委、市政府:…现将…报上。"/signature) only a full title, a
            # year and an issuer, is the report's own.
            found = [c for c in _line_titles(lines, i, cfg, levels_cfg) if _title_score(c[0]) >= 4]
            if found:
                candidates += found
                break
            continue
        cited = _CITED_TITLE.match(line)
        if cited and _is_title_line(cited.group(1), cfg) and _title_score(cited.group(1)) >= 4:
            candidates.append((cited.group(1), i))  # "《某市…工作报告》是2019年…发布的通知。"
        for variant in _title_variants(line, cfg):
            if not _is_title_line(variant, cfg):
                continue
            candidates.append((variant, i))
            # A title split after the issuer: "…街道办事处" / "关于2023年度…的报告", the issuer
            # itself over several lines when the report is joint ("中共某街道工作委员会" /
            # "某区人民政府某街道办事处" / "关于…的报告").
            if i > 0 and not title_issuer(variant) and _is_org_line(lines[i - 1], cfg, levels_cfg):
                first = i - 1
                while first > 0 and _is_org_line(lines[first - 1], cfg, levels_cfg):
                    first -= 1
                issuers = "".join(line.replace(" ", "") for line in lines[first:i])
                candidates.append((issuers + variant, i))
            break
        else:
            joined = _title_joined_with_next(lines, i, cfg)
            if joined:
                candidates.append((joined, i + 1))
    if not candidates:
        return None, -1
    return max(candidates, key=lambda c: _title_score(c[0]))


# A document number the title begins with ("[天政发〔2026〕7号]某市人民政府关于…"): not the issuer.
_DOC_NUMBER_LEAD = re.compile(r"^[\[【(]?[\u4e00-\u9fff]{1,12}[〔\[(]\d{4}[〕\])]\d{1,4}号[\]】)]?")


_ISSUER_TAIL = re.compile(r"(?:(?:19|20)\d{2}|公布|发布|印发)+$")


def title_issuer(title: str) -> str | None:
    """The issuer a title names: before 关于 or the year, or between 关于 and the year."""
    t = _DOC_NUMBER_LEAD.sub("", title.replace(" ", ""))
    year = next((m for m in _YEAR_RE.finditer(t)), None) or _CN_YEAR_RE.search(t)
    kw = re.search(r"法治|依法行政|年度报告", t)
    end_at = kw.start() if kw else len(t)
    if t.find("关于") > 0:
        segment = t[: t.find("关于")]
    else:
        start = 2 if t.startswith("关于") else 0
        stop = year.start() if year and year.start() >= start else end_at
        segment = t[start:stop]
        if not segment and year:
            # "2023年度大通区法治政府建设情况报告"
            segment = t[year.end():end_at].lstrip("度")
    segment = segment.strip("的 ")
    # "沅江路街道2024法治政府建设年度报告" (a year without 年), "湖南省人民政府公布2017年度…"
    segment = _ISSUER_TAIL.sub("", segment)
    if re.fullmatch(r"全[省市县区州盟旗]", segment):
        return None  # "关于2018年度全省…的报告": the report's scope, not who issued it
    return segment if len(segment) >= 2 and re.search(r"[\u4e00-\u9fff]{2}", segment) else None

