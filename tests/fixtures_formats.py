"""Builders for the format tests: a government-portal page, a Word file and a two-page PDF,
all made from the same report lines, so each extractor can be compared with the plain text.

Nothing binary is committed: every file is built here when a test asks for it.
"""
from __future__ import annotations

import html
import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

# A made-up county report in the usual shape: title, preface, numbered headings two levels
# deep, long paragraphs, a table, the signature and its date.
TITLE = "青溪县人民政府关于2023年度法治政府建设情况的报告"
PREFACE = ("2023年，青溪县坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
           "全面落实《法治政府建设实施纲要（2021－2025年）》，各项工作取得新进展。现将有关情况报告如下：")
HEADING_1 = ("主要举措和成效", "存在的不足和原因", "下一年度工作安排")
HEADING_2 = ("加强党对法治政府建设的领导", "深化“放管服”改革，优化法治化营商环境")
BODY = (
    "一是落实第一责任人职责。县政府常务会议专题研究法治政府建设工作4次，将履行推进法治建设第一责任人"
    "职责情况列入年终述职内容，组织全县52个单位主要负责人开展述法评议，推动领导干部带头尊法学法守法用法。",
    "二是健全议事协调机制。召开县委全面依法治县委员会会议2次，制定年度工作要点，明确重点任务38项，"
    "对执法、司法、守法普法三个协调小组的工作实行清单化管理，确保各项任务按期完成。",
    "全面推行“一网通办”，政务服务事项网上可办率达到98.6%，企业开办时间压缩至1个工作日以内。"
    "清理涉及不平等对待企业的规范性文件17件，其中废止3件、修改5件；公平竞争审查覆盖率100%。",
    "基层法治队伍力量仍然薄弱，部分乡镇合法性审查工作有待规范；行政执法人员专业素质与新形势新任务"
    "的要求相比还有差距，个别单位行政执法案卷制作不够规范。",
    "2024年，我县将持续深化法治政府建设，健全依法行政制度体系，推进严格规范公正文明执法，"
    "不断提升行政复议和应诉工作质效，为全县高质量发展提供坚实法治保障。",
)
TABLE = (("项目", "件数", "同比"), ("行政复议", "146", "+12%"), ("行政诉讼", "57", "-8%"))
SIGNATURE = ("青溪县人民政府", "2024年3月1日")

CHINESE_NUMERALS = "一二三四五六七八九十"


def report_lines(with_table: bool = True) -> list[str]:
    """The report as the plain .txt would have it: one line per paragraph or heading.

    Headings carry their markers (一、 and （一）); table rows are cells joined by a tab.
    """
    lines = [TITLE, PREFACE]
    lines.append(f"一、{HEADING_1[0]}")
    lines.append(f"（一）{HEADING_2[0]}")
    lines += BODY[0:2]
    lines.append(f"（二）{HEADING_2[1]}")
    lines.append(BODY[2])
    if with_table:
        lines += ["\t".join(row) for row in TABLE]
    lines.append(f"二、{HEADING_1[1]}")
    lines.append(BODY[3])
    lines.append(f"三、{HEADING_1[2]}")
    lines.append(BODY[4])
    lines += SIGNATURE
    return lines


# ---------------------------------------------------------------- HTML

PORTAL_META = {
    "SiteName": "青溪县人民政府",
    "ColumnName": "法治政府建设年度报告",
    "ArticleTitle": TITLE,
    "PubDate": "2024-03-05 09:30",
    "ContentSource": "县司法局",
    "Url": "https://www.example.gov.cn/zwgk/fzzfjs/202403/t20240305_123.html",
}


def portal_html(*, encoding: str = "utf-8", declare_charset: bool = True,
                paragraphs_as: str = "p", meta: dict | None = None) -> bytes:
    """A saved government-portal article page: header nav, breadcrumbs, the article with its
    发布时间/来源 line, the body, a share bar and the footer.

    paragraphs_as: "p" (one <p> per paragraph), "div" or "br" (one <div> with <br> breaks).
    """
    meta = PORTAL_META if meta is None else meta
    lines = report_lines()
    body_lines = lines[1:]            # the title is the page's <h1>
    e = html.escape
    charset = (f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">'
               if declare_charset else "")
    metas = "\n".join(f'<meta name="{k}" content="{e(v)}">' for k, v in meta.items())

    table_rows = ["\t".join(r) for r in TABLE]
    parts: list[str] = []
    i = 0
    while i < len(body_lines):
        line = body_lines[i]
        if line == table_rows[0]:
            cells = "".join(
                "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in TABLE)
            parts.append(f'<table border="1">{cells}</table>')
            i += len(TABLE)
            continue
        if line in SIGNATURE:
            parts.append(f'<p style="text-align: right;">{e(line)}</p>')
        elif line[:1] in CHINESE_NUMERALS and line[1:2] == "、":
            parts.append(f"<p><strong>{e(line)}</strong></p>" if paragraphs_as == "p"
                         else f"<h3>{e(line)}</h3>")
        elif paragraphs_as == "div":
            parts.append(f'<div style="text-indent:2em">{e(line)}</div>')
        elif paragraphs_as == "br":
            parts.append(f"&nbsp;&nbsp;&nbsp;&nbsp;{e(line)}<br>")
        else:
            parts.append(f'<p style="text-indent:2em">{e(line)}</p>')
        i += 1
    content = "\n".join(parts)
    if paragraphs_as == "br":
        content = f"<div>{content}</div>"

    page = f"""<!DOCTYPE html>
<html><head>
{charset}
<title>{e(TITLE)}_{e(meta.get("SiteName", "门户网站"))}</title>
{metas}
<link rel="stylesheet" href="/css/main.css"><script src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; window.onload = function() {{ console.log("统计代码"); }};</script>
</head><body>
<div class="top"><a href="/">首页</a> | <a href="/wza">无障碍</a> | <a href="/en">English</a> | 繁体版</div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/zwfw">政务服务</a></li><li><a href="/hdjl">互动交流</a></li><li><a href="/zjqx">走进青溪</a></li></ul></div>
<div class="crumbs">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="#">法治政府建设年度报告</a></div>
<div class="article">
<h1 class="title">{e(TITLE)}</h1>
<div class="info">发布时间：2024-03-05 09:30 &nbsp; 信息来源：县司法局 &nbsp; 浏览次数：<span>1024</span> &nbsp; 【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div class="content" id="zoom">
{content}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a> &nbsp; <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="related"><h4>相关链接</h4><ul><li><a href="/a">青溪县2022年度法治政府建设情况报告</a></li><li><a href="/b">关于开展2023年度述法工作的通知</a></li></ul></div>
</div>
<div class="footer"><p>主办单位：青溪县人民政府办公室 &nbsp; 地址：青溪县政务中心 &nbsp; 联系电话：0000-1234567</p>
<p>网站标识码：0000000000 &nbsp; 备案号：ICP备00000000号 &nbsp; 公安机关备案号：00000000000000</p></div>
</body></html>"""
    return page.encode(encoding)


# ---------------------------------------------------------------- Word

def numbered_docx(*, marker_in_text: bool = False) -> bytes:
    """A Word report whose 一、 and （一） headings come from Word's automatic numbering
    (the marker is not in the paragraph's text) unless marker_in_text.

    Level-1 headings use style Heading 1, level-2 Heading 2; the table is a real Word table;
    the title is split by a manual line break like many Word titles.
    """
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    d = docx.Document()
    numbering = d.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
        '</w:abstractNum>')
    # abstractNum elements must precede num elements in numbering.xml.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int, style: str):
        p = d.add_paragraph(text, style=style)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    lines = report_lines()
    title = d.add_paragraph(style="Title")
    cut = TITLE.index("关于")
    title.add_run(TITLE[:cut]).add_break()
    title.add_run(TITLE[cut:])
    d.core_properties.title = TITLE
    table_rows = ["\t".join(r) for r in TABLE]
    for line in lines[1:]:
        if line in table_rows[1:]:
            continue
        if line == table_rows[0]:
            t = d.add_table(rows=len(TABLE), cols=len(TABLE[0]))
            for r, row in enumerate(TABLE):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
            continue
        if line[:1] in CHINESE_NUMERALS and line[1:2] == "、":
            if marker_in_text:
                d.add_paragraph(line, style="Heading 1")
            else:
                numbered(line[2:], 0, "Heading 1")
        elif line.startswith("（") and line[1:2] in CHINESE_NUMERALS and line[2:3] == "）":
            if marker_in_text:
                d.add_paragraph(line, style="Heading 2")
            else:
                numbered(line[3:], 1, "Heading 2")
        else:
            d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF

def cjk_font() -> Path | None:
    """A TrueType font with Chinese glyphs (Debian fonts-wqy-microhei), or None."""
    for candidate in ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                      "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"):
        if Path(candidate).exists():
            return Path(candidate)
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh"],
                             capture_output=True, text=True).stdout.strip()
        if out.endswith((".ttf", ".ttc", ".otf")) and Path(out).exists():
            return Path(out)
    return None


RUNNING_HEADER = "青溪县人民政府公报"


@lru_cache(maxsize=8)  # fpdf2 takes about a second to subset the CJK font
def report_pdf(font: Path, *, page_number_style: str = "- {n} -") -> bytes:
    """A two-page text PDF of the report, typeset like a government document: A4, the body
    wrapped at the margin (fpdf2 breaks anywhere, even before a comma), a running header on every page
    and a page number in the footer; the title centred, the signature right-aligned.
    """
    from fpdf import FPDF

    class Doc(FPDF):
        def header(self):
            self.set_font("cjk", size=9)
            self.cell(0, 8, RUNNING_HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self):
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 8, page_number_style.format(n=self.page_no(), total="{nb}"),
                      align="C")

    pdf = Doc(format="A4")
    pdf.add_font("cjk", fname=str(font))
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    lines = report_lines()
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 10, lines[0], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    table_rows = ["\t".join(r) for r in TABLE]
    for line in lines[1:]:
        if line in table_rows[1:]:
            continue
        if line == table_rows[0]:
            pdf.set_font("cjk", size=11)
            with pdf.table(text_align="CENTER", first_row_as_headings=False) as t:
                for row in TABLE:
                    r = t.row()
                    for cell in row:
                        r.cell(cell)
            pdf.ln(3)
            continue
        if line in SIGNATURE:
            pdf.set_font("cjk", size=13)
            pdf.multi_cell(0, 8, line, align="R", new_x="LMARGIN", new_y="NEXT")
            continue
        pdf.set_font("cjk", size=13)
        pdf.multi_cell(0, 8, line, align="L", new_x="LMARGIN", new_y="NEXT")
        # space between paragraphs; with this one a paragraph runs across the page break
        pdf.ln(3)
    return bytes(pdf.output())


def textless_pdf() -> bytes:
    """A 'scanned' PDF: pages with graphics but no text layer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    for _ in range(2):
        pdf.add_page()
        for k in range(12):
            pdf.rect(20, 20 + k * 20, 170, 12, style="F")
    return bytes(pdf.output())
