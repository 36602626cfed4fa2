"""The one query language, shared by the CLI, the JSON API and the web page.

The parser reads the query exactly as typed and normalizes each term afterwards, so only
the ASCII characters `"`, `(` and `)` (and the words `OR`, `NOT` and a leading `-`) are
syntax. Everything else is literal text to find: full-width （一）, curly “最多跑一次”,
full-width ＂ and the full-width colon are text, even though NFKC later turns （一） into (一).

    法治 政府            both terms (whitespace, including the ideographic space, separates)
    "法 治政府"          a phrase; whitespace inside a term never matters (法治政府)
    a OR b c             (a OR b) AND c: OR binds tighter than the implicit AND
    -a  NOT a  -"a b"  -(a OR b)      exclusion
    year:2023  year:2020-2023  province:浙江省  city:温州  level:县  section:不足
    issuer:司法局  issuer_type:部门  title:"法治 政府"      field filters
    出庭应诉率 /s 100%   both in one sentence (sentences end at 。！？；)
    出庭应诉率 /p 100%   both in one paragraph (what a plain space means)
    出庭 NEAR/5 应诉     at most 5 characters between them, either order (overlap counts)
    ~出庭应诉率          the term or any of its synonyms (the `synonyms` setting), each exact
    出庭应诉率<95        paragraphs stating that indicator at a level in range (also <=, >, >=,
                         =; the value in the indicator's unit: 出庭应诉率>=95%, 行政复议案件数>100)

Precedence, loosest first: AND (space), proximity (/s /p NEAR/n), OR, NOT/-. So
`复议 OR 诉讼 /s 败诉率 year:2023` is ((复议 OR 诉讼) /s 败诉率) AND year:2023. The operands of a
proximity operator are terms, phrases, ~synonyms or OR-groups of them; `/s` and `/p` chain
(`a /s b /s c`: all three in one sentence); NEAR/n joins exactly two operands. Distances and
sentences are counted on the match form (whitespace removed), like every other match.

Field values are normalized by `normalize_filter` (also used for URL and CLI filters):
year ranges expand to each year; province/city names become the short forms the metadata
stage stores, through the same gazetteer (index.places): 浙江省 -> 浙江, 广西壮族自治区 -> 广西,
温州市 -> 温州; level and section accept their canonical names or any part that names only one
of them (县 -> 县级, 乡镇 -> 乡镇级, 不足 -> 存在的不足和原因, 下一年度 -> 下一年度工作安排).

A word is a field filter when it starts with two or more ASCII letters (or `_`) and a colon,
e.g. `year:` or `foo:`; an unknown name is an error (quote the word to search for it as
text). Words like `12:30`, `http://…` or `年份:2023` are plain text.

A word NAME<op>NUMBER is an indicator condition when NAME is a wording of the indicator
catalogue (the `indicators:` setting; 出庭应诉率, 应诉出庭率 and 出庭率 all name 行政机关负责人
出庭应诉率) or any other name ending in 率 (a rate the catalogue does not list); it matches the
paragraphs whose extracted statements (index/indicators.py) give that indicator a level — not
a change (同比下降…个百分点), not a plan target (力争达到…) — in range, whatever the qualifier
(正职, 一审, 平均). Any other such word is text; quote it to search for it as text.

`/s`, `/p`, `NEAR/n` and a leading `~` are syntax only as whole words (`/s` alone, `~` at
the start of a word); quote them to search for them as text ("/s", "~").

Parentheses may be nested at most MAX_NESTING levels deep ("((a))" is two levels); a deeper
query is a QueryError like any other syntax error. Nothing else nests: chains of NOT / -,
OR chains and quotes are read in loops, so no query, whatever its length, makes the parser
(or anything walking the tree it returns) recurse more than a few frames per level.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.fields import FILTER_FIELDS, SUBSTRING_FIELDS  # noqa: F401
from index.model import ISSUER_TYPES, LEVELS, SECTIONS
from index.normalize import match_form


class QueryError(ValueError):
    """A query that cannot be run; str(e) is one sentence in Chinese for the user."""


@dataclass(frozen=True)
class Term:
    """Matches paragraphs whose match form contains `text` as a substring."""
    text: str   # match_form(raw), never empty
    raw: str    # as typed (inside the quotes for a phrase)


@dataclass(frozen=True)
class Filter:
    """A field filter; a paragraph passes when its report's field equals any of `values`.

    For `issuer` and `title` the values are match-form substrings of the field instead
    (`issuer:司法局` finds every 司法局); for the other fields they are canonical values:
    year "2023", province/city short forms ("浙江", "温州"), a LEVELS, SECTIONS or
    ISSUER_TYPES name.
    """
    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


@dataclass(frozen=True)
class Near:
    """Operands (each a Term, or an Or of Terms) found close together in one paragraph:
    `within` is "s" (one sentence) or a number of characters between them (NEAR/n)."""
    items: tuple
    within: str | int


@dataclass(frozen=True)
class Figure:
    """Paragraphs stating `indicator` (canonical name, match form) at a level `op` `value`."""
    indicator: str
    op: str          # one of FIGURE_OPS
    value: float
    raw: str         # as typed


FIGURE_OPS = ("<=", ">=", "<", ">", "=")

Node = Term | Filter | And | Or | Not | Near | Figure


# Two or more ASCII letters before the colon: `foo:` looks like a field someone meant,
# `12:30`, `A:` or `第1:2` do not.
_FIELD_WORD = re.compile(r"([A-Za-z_][A-Za-z_]+):(.*)", re.DOTALL)
_SYNTAX = '()"'
_PROXIMITY = re.compile(r"/([sp])|NEAR/(\d{1,4})", re.IGNORECASE)
# NAME<op>NUMBER, read on the NFKC form (＜ ＝ ９５ ％ are < = 95 %); ≤ ≥ are <= >=.
_FIGURE = re.compile(r"(?P<name>[^<>=≤≥]+?)(?P<op><=|>=|=<|=>|≤|≥|<|>|==?)"
                     r"(?P<num>\d+(?:\.\d+)?)(?P<unit>%|[^\d\W]{1,3})?")
_FIGURE_OP_ALIASES = {"≤": "<=", "≥": ">=", "=<": "<=", "=>": ">=", "==": "="}
# Deepest nesting of parentheses accepted. Real queries use one or two levels
# ("(复议 OR 诉讼) 败诉率"); the limit keeps the recursive-descent parser and every walk over
# the syntax tree (the searcher's evaluation, the marked terms) far from Python's recursion
# limit, whatever max_query_chars is configured to: 245 nested "(" once raised RecursionError.
MAX_NESTING = 20
# Shown in "missing value" errors.
_EXAMPLES = {
    "year": "2023", "province": "浙江", "city": "温州", "level": "县级",
    "section": "存在的不足和原因", "issuer": "司法局", "issuer_type": "部门", "title": "法治政府",
    "published": "2024-01-01..2024-03-31", "cites": "行政复议法",
}


# ---------------------------------------------------------------- tokenizer

@dataclass(frozen=True)
class _Token:
    kind: str            # LP RP OR NOT NEG TERM SYN FIELD PROX FIG
    value: str = ""      # TERM/SYN/FIG: raw text; FIELD: raw value; PROX: "s", "p" or "n<digits>"
    field: str = ""      # FIELD: lower-case field name


def _read_quoted(q: str, i: int) -> tuple[str, int]:
    """The text between the quote at q[i] and the next one, and the index after it."""
    end = q.find('"', i + 1)
    if end < 0:
        raise QueryError('引号不成对：请检查查询中的双引号（"）。')
    return q[i + 1:end], end + 1


def _unknown_field(name: str) -> QueryError:
    return QueryError(
        f"未知字段 {name}：可用字段有 {'、'.join(FILTER_FIELDS)}"
        f"（要查找含冒号的文字，请加英文引号，如 \"{name}:…\"）。")


def _tokens(q: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c == "(":
            out.append(_Token("LP"))
            i += 1
        elif c == ")":
            out.append(_Token("RP"))
            i += 1
        elif c == '"':
            text, i = _read_quoted(q, i)
            out.append(_Token("TERM", text))
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in _SYNTAX:
                j += 1
            word = q[i:j]
            i = j
            if word in ("OR", "NOT"):
                out.append(_Token(word))
                continue
            prox = _PROXIMITY.fullmatch(word)
            if prox:
                out.append(_Token("PROX", prox.group(1).lower() if prox.group(1)
                                  else "n" + prox.group(2)))
                continue
            if word.upper().startswith("NEAR/"):
                raise QueryError(f"“{word}”写法不对：NEAR 后面要写距离（字数），如 出庭 NEAR/5 应诉。")
            if word.startswith("~"):
                text = word[1:]
                if not text and i < n and q[i] == '"':
                    text, i = _read_quoted(q, i)
                if not text:
                    raise QueryError("波浪号后面要紧跟要扩展同义词的词，如 ~出庭应诉率；"
                                     "要查找波浪号本身请写 \"~\"。")
                out.append(_Token("SYN", text))
                continue
            if word.startswith("-"):
                word = word[1:]
                if not word and not (i < n and q[i] in '"('):
                    raise QueryError("减号后面要紧跟要排除的内容，如 -罚款；要查找减号本身请写 \"-\"。")
                out.append(_Token("NEG"))
                if not word:
                    continue
            if word and _FIGURE.fullmatch(unicodedata.normalize("NFKC", word)):
                out.append(_Token("FIG", word))
                continue
            m = _FIELD_WORD.fullmatch(word)
            if m and not m.group(2).startswith("//"):   # http://… is text
                name, value = m.group(1).lower(), m.group(2)
                if name not in FILTER_FIELDS:
                    raise _unknown_field(m.group(1))
                if not value:
                    if i < n and q[i] == '"':
                        value, i = _read_quoted(q, i)
                    else:
                        raise QueryError(f"字段 {name}: 后面缺少取值，如 {name}:{_EXAMPLES[name]}。")
                out.append(_Token("FIELD", value, name))
            else:
                out.append(_Token("TERM", word))
    return out


# ---------------------------------------------------------------- parser

def _combine(cls, items: list) -> Node:
    """cls(items) with nested nodes of the same kind flattened; a single item stands alone."""
    flat: list = []
    for item in items:
        flat.extend(item.items if isinstance(item, cls) else (item,))
    return flat[0] if len(flat) == 1 else cls(tuple(flat))


class _Parser:
    """query := and EOF;  and := prox+;  prox := or (PROX or)*;  or := unary (OR unary)*;
    unary := (NOT | -) unary | primary;  primary := TERM | SYN | FIELD | FIG | ( and )."""

    def __init__(self, tokens: list[_Token], synonyms: dict | None = None,
                 indicators: dict | None = None):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0      # parentheses open around the current position
        self.synonyms = synonyms or {}
        self.indicators = indicators or {}

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node:
        node = self.parse_and()
        if self.peek() is not None:     # parse_and stops only at ')' or the end
            raise QueryError("括号不成对：多了一个“)”。")
        return node

    def parse_and(self) -> Node:
        items = []
        while (tok := self.peek()) is not None and tok.kind != "RP":
            items.append(self.parse_prox())
        if not items:
            raise QueryError("括号里没有查询内容。")
        return _combine(And, items)

    def parse_prox(self) -> Node:
        if self.peek().kind == "PROX":
            raise QueryError(f"{_prox_name(self.peek().value)} 前面缺少查询词。")
        items = [self.parse_or()]
        ops = []
        while (tok := self.peek()) is not None and tok.kind == "PROX":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "RP", "PROX"):
                raise QueryError(f"{_prox_name(tok.value)} 后面缺少查询词。")
            ops.append(tok.value)
            items.append(self.parse_or())
        if not ops:
            return items[0]
        if len(set(ops)) > 1:
            raise QueryError("一组邻近条件里只能用同一种运算符（/s、/p 或 NEAR/n）；"
                             "不同的条件请用括号分开，如 (a /s b) (b NEAR/5 c)。")
        for item in items:
            _check_operand(item, ops[0])
        op = ops[0]
        if op == "p":               # one paragraph: what AND means for paragraphs
            return _combine(And, items)
        if op.startswith("n"):
            if len(items) > 2:
                raise QueryError("NEAR/n 一次只连接两个词；多个条件请分开写，"
                                 "如 (a NEAR/5 b) (b NEAR/5 c)。")
            return Near(tuple(items), int(op[1:]))
        return Near(tuple(items), "s")

    def parse_or(self) -> Node:
        if self.peek().kind == "OR":
            raise QueryError("OR 前面缺少查询词。")
        items = [self.parse_unary()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "RP"):
                raise QueryError("OR 后面缺少查询词。")
            items.append(self.parse_unary())
        return _combine(Or, items)

    def parse_unary(self) -> Node:
        # A loop, not recursion: "NOT NOT … a" may be as long as the query.
        negations = 0
        while self.peek().kind in ("NOT", "NEG"):
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "RP"):
                raise QueryError("NOT 或减号后面缺少要排除的内容。")
            negations += 1
        node = self.parse_primary()
        for _ in range(negations):
            node = node.item if isinstance(node, Not) else Not(node)
        return node

    def parse_primary(self) -> Node:
        tok = self.take()
        if tok.kind == "LP":
            if self.depth >= MAX_NESTING:
                raise QueryError(f"括号嵌套太深：最多 {MAX_NESTING} 层，请简化查询。")
            if self.peek() is None:
                raise QueryError("括号不成对：缺少“)”。")
            self.depth += 1
            node = self.parse_and()
            self.depth -= 1
            if self.peek() is None:
                raise QueryError("括号不成对：缺少“)”。")
            self.take()
            return node
        if tok.kind == "FIELD":
            return Filter(tok.field, normalize_filter(tok.field, tok.value))
        if tok.kind == "TERM":
            return _term(tok.value)
        if tok.kind == "FIG":
            return _figure(tok.value, self.indicators)
        if tok.kind == "SYN":
            term = _term(tok.value)
            terms = [term] + [_term(w) for w in self.synonyms.get(term.text, ())]
            distinct: dict[str, Term] = {}
            for t in terms:
                distinct.setdefault(t.text, t)
            return _combine(Or, list(distinct.values()))
        if tok.kind == "PROX":
            raise QueryError(f"{_prox_name(tok.value)} 前面缺少查询词。")
        raise QueryError("括号不成对：多了一个“)”。")   # RP where a term was expected


def _term(raw: str) -> Term:
    text = match_form(raw)
    if not text:
        raise QueryError(f"查询词“{raw}”去掉空白后是空的，请写出要查找的文字。")
    return Term(text, raw)


def _figure(raw: str, indicators: dict) -> Node:
    """An indicator condition, or the word as text when its name is no indicator."""
    m = _FIGURE.fullmatch(unicodedata.normalize("NFKC", raw))
    name = match_form(m.group("name"))
    canonical = indicators.get(name)
    if canonical is None and name.endswith("率"):
        # as the extraction reads a rate: the longest catalogued wording the name ends with
        # (复议纠错率 ends with 纠错率), what comes before it being a qualifier
        canonical = next((indicators[name[k:]] for k in range(1, len(name) - 1)
                          if name[k:] in indicators), None)
    if canonical is None:
        if not name.endswith("率"):
            return _term(raw)
        canonical = name                    # a rate outside the catalogue: its own name
    unit = m.group("unit") or ""
    if unit and unit != "%" and name.endswith("率"):
        raise QueryError(f"“{raw}”：{m.group('name')}是比率，数值以 % 计，如 {m.group('name')}>=95。")
    op = _FIGURE_OP_ALIASES.get(m.group("op"), m.group("op"))
    return Figure(canonical, op, float(m.group("num")), raw)


def indicator_table(catalogue) -> dict[str, str]:
    """{match form of every wording and name: canonical name (match form)} of the indicator
    catalogue (index.indicators.catalogue), for parse_query's indicator conditions."""
    table: dict[str, str] = {}
    for entry in catalogue or ():
        canonical = match_form(entry["name"])
        for w in [entry["name"], *(entry.get("wordings") or ())]:
            table.setdefault(match_form(w), canonical)
    return table


def figure_holds(values, op: str, bound: float):
    """Which of `values` (a numpy array) satisfy `op bound`."""
    if op == "<":
        return values < bound
    if op == "<=":
        return values <= bound
    if op == ">":
        return values > bound
    if op == ">=":
        return values >= bound
    return abs(values - bound) < 1e-9


def _prox_name(op: str) -> str:
    return "NEAR/" + op[1:] if op.startswith("n") else "/" + op


def _check_operand(node, op: str) -> None:
    """Proximity joins terms: a Term, or an Or whose items are Terms."""
    ok = isinstance(node, Term) or (isinstance(node, Or) and
                                    all(isinstance(i, Term) for i in node.items))
    if not ok:
        raise QueryError(f"{_prox_name(op)} 两边只能是词、短语、~同义词或用 OR 连接的词"
                         f"（不能是排除条件、字段筛选或括号里的多个条件）。")


def _positive_leaves(node) -> list:
    """The Terms and Filters not under a Not, in query order (a walk with an explicit stack,
    so it never recurses)."""
    out, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, (Term, Filter, Figure)):
            out.append(item)
        elif isinstance(item, (And, Or, Near)):
            stack.extend(reversed(item.items))
        # Not: nothing under it selects paragraphs
    return out


def parse_query(q: str, max_chars: int = 500, synonyms: dict | None = None,
                indicators: dict | None = None) -> Node:
    """The query's syntax tree, or a QueryError saying in one sentence what is wrong.
    `synonyms` ({match form: raw synonyms}, from synonym_table) expands `~term`;
    `indicators` (from indicator_table) names the indicators of NAME<op>NUMBER conditions."""
    q = (q or "").strip()
    if not q:
        raise QueryError("查询为空：请输入要查找的文字。")
    if len(q) > max_chars:
        raise QueryError(f"查询太长：最多 {max_chars} 个字符，现在有 {len(q)} 个。")
    node = _Parser(_tokens(q), synonyms, indicators).parse()
    if not _positive_leaves(node):
        raise QueryError("查询里只有排除条件：请至少给出一个要查找的词或筛选条件。")
    return node


def positive_term_nodes(node) -> list[Term]:
    """The Terms not under a Not, each once, in query order."""
    return list(dict.fromkeys(leaf for leaf in _positive_leaves(node) if isinstance(leaf, Term)))


def positive_figures(node) -> list[Figure]:
    """The indicator conditions not under a Not, each once, in query order."""
    return list(dict.fromkeys(leaf for leaf in _positive_leaves(node) if isinstance(leaf, Figure)))


def positive_terms(node) -> list[str]:
    """Match-form texts of the Terms not under a Not, deduplicated, longest first."""
    texts = dict.fromkeys(leaf.text for leaf in _positive_leaves(node) if isinstance(leaf, Term))
    return sorted(texts, key=len, reverse=True)


def narrowed_query(query: str, steps) -> str:
    """结果中检索: the query AND each narrowing step. Steps are parenthesized, the query is
    not, so its top-level filters stay facet filters."""
    steps = [s for s in (steps or ()) if s and s.strip()]
    return " ".join([query] + [f"({s})" for s in steps]) if query and steps else query


# ---------------------------------------------------------------- synonyms

def synonym_table(sets) -> dict[str, tuple[str, ...]]:
    """{match form of a word: the other words of every set it is in, as written} from the
    `search.synonyms` setting (a list of lists of words)."""
    table: dict[str, dict[str, str]] = {}
    for group in sets or ():
        words = [str(w) for w in group if match_form(str(w))]
        for w in words:
            others = table.setdefault(match_form(w), {})
            for o in words:
                if match_form(o) != match_form(w):
                    others.setdefault(match_form(o), o)
    return {k: tuple(v.values()) for k, v in table.items()}


# ---------------------------------------------------------------- field values

_YEAR = re.compile(r"(\d{4})年?(?:[-~～–—至到](\d{4})年?)?")
_YEAR_MIN, _YEAR_MAX = 1949, 2100


def _years(value: str) -> tuple[str, ...]:
    m = _YEAR.fullmatch(value)
    if not m:
        raise QueryError(f"year 的取值“{value}”不是年份，应写成 2023 或 2020-2023。")
    first = int(m.group(1))
    last = int(m.group(2) or first)
    for y in (first, last):
        if not _YEAR_MIN <= y <= _YEAR_MAX:
            raise QueryError(f"year 的取值“{value}”不像年份（应在 {_YEAR_MIN}-{_YEAR_MAX} 之间）。")
    if last < first:
        raise QueryError(f"年份范围“{value}”前后颠倒，应写成 {last}-{first}。")
    return tuple(str(y) for y in range(first, last + 1))


# Official place names end in a suffix that the short form drops (行政区划 naming): 省, 市,
# 地区, 盟, 特别行政区, and 自治区/州/县/旗 after the names of the peoples (壮族, 维吾尔).
# Only a fallback for names the gazetteer does not know: e.g. 黔东南苗族侗族自治州 cannot be
# split by rule, the gazetteer knows it.
#
# The rule is the regular expression
#     (.{2,}?)(?:(?:[\u4e00-\u9fff]{1,4}?族|维吾尔)*自治[区州县旗]|特别行政区|省|市|地区|盟)
# (fullmatch), computed by hand: as a regex its nested quantifiers backtrack exponentially
# (a filter value of 50 × 族 took minutes).
_PLACE_SUFFIXES = ("特别行政区", "地区", "省", "市", "盟")
_AUTONOMOUS = tuple("自治" + c for c in "区州县旗")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def short_place_name(name: str) -> str:
    """广西壮族自治区 -> 广西, 浙江省 -> 浙江, 温州市 -> 温州; a short form stays as it is.

    The stem is the shortest prefix (at least two characters) after which only a place
    suffix is left: peoples' names (…族, 维吾尔) then 自治区/州/县/旗, or one of 省 市 地区 盟
    特别行政区. Linear in the length of `name`."""
    n = len(name)
    if n < 3 or "\n" in name:
        return name
    # peoples[j]: name[j:n-3] is a run of peoples' names ("" counts), when name ends in 自治X.
    autonomous = name.endswith(_AUTONOMOUS)
    peoples = [False] * (n + 1)
    if autonomous:
        end = n - 3
        peoples[end] = True
        cjk_run = 0                     # CJK characters from j on (capped at 4)
        for j in range(end - 1, -1, -1):
            cjk_run = min(cjk_run + 1, 5) if _is_cjk(name[j]) else 0
            ok = name.startswith("维吾尔", j) and j + 3 <= end and peoples[j + 3]
            for k in range(1, min(4, cjk_run) + 1):
                if ok:
                    break
                z = j + k
                ok = z < end and name[z] == "族" and peoples[z + 1]
            peoples[j] = ok
    for i in range(2, n):
        rest = name[i:]
        if rest in _PLACE_SUFFIXES or (autonomous and i <= n - 3 and peoples[i]):
            return name[:i]
    return name


def _place(field: str, value: str) -> str:
    """The short form the index stores for a province or prefecture-level city, via the
    gazetteer the metadata stage uses (index.places), so both sides agree."""
    from index.places import load_gazetteer, places_named
    level = "province" if field == "province" else "city"
    named = places_named(value) or places_named(short_place_name(value))
    found = [p for p in named if p.level == level]
    if found:
        return found[0].province if level == "province" else found[0].city
    if field == "province":
        if load_gazetteer().provinces:
            raise QueryError(f"province 的取值“{value}”不是省级行政区的名称，如 浙江、广西。")
        return short_place_name(value)
    if any(p.level == "province" for p in named):
        raise QueryError(f"“{value}”是省级行政区（直辖市），请用 province:{named[0].province}。")
    counties = [p for p in named if p.level == "county" and p.city]
    if counties:
        raise QueryError(f"“{value}”是县级行政区（属{counties[0].city}），city 只收地级市；"
                         f"要找它发布的报告，可用 issuer:{value}。")
    return short_place_name(value)


def _by_short_form(field: str, value: str, names: tuple[str, ...]) -> str:
    """The canonical name equal to `value`, or the only one containing it (县 -> 县级,
    不足 -> 存在的不足和原因)."""
    if value in names:
        return value
    found = [name for name in names if value in name]
    if len(found) == 1:
        return found[0]
    raise QueryError(f"{field} 的取值“{value}”无法识别，可用的有 {'、'.join(names)}。")


def normalize_filter(field: str, value: str) -> tuple[str, ...]:
    """The canonical values a filter `field:value` stands for (the same rules for the query
    language, URL parameters and CLI options); QueryError when the value makes no sense."""
    name = (field or "").strip().lower()
    if name not in FILTER_FIELDS:
        raise _unknown_field(field)
    norm = match_form(value or "")
    if not norm:
        raise QueryError(f"字段 {name}: 后面缺少取值，如 {name}:{_EXAMPLES[name]}。")
    if name == "year":
        return _years(norm)
    if name in ("province", "city"):
        return (_place(name, norm),)
    if name == "level":
        return (_by_short_form(name, norm, LEVELS),)
    if name == "section":
        return (_by_short_form(name, norm, SECTIONS),)
    if name == "issuer_type":
        return (_by_short_form(name, norm, ISSUER_TYPES),)
    if name == "published":
        return (_date_range(norm),)
    if name == "cites":
        from .cited import cited_name
        return (cited_name(norm),)
    return (norm,)   # issuer, title: substrings in match form



def normalize_filters(filters: dict | None) -> dict[str, list[str]]:
    """{field: [canonical value, ...]} for {field: typed value or values}: each value by
    normalize_filter, in order, duplicates dropped, empty values skipped (an empty form
    field). QueryError for a value that makes no sense (火星) or an unknown field."""
    out: dict[str, list[str]] = {}
    for field, values in (filters or {}).items():
        for value in ([values] if isinstance(values, (str, int)) else values):
            if value in (None, ""):
                continue
            for canonical in normalize_filter(field, str(value)):
                if canonical not in out.setdefault(field, []):
                    out[field].append(canonical)
    return out

_DATE = re.compile(r"(\d{4})(?:[-./年](\d{1,2})(?:[-./月](\d{1,2})日?)?月?)?年?")


def _date_bound(text: str, end: bool) -> str:
    """A full YYYY-MM-DD from a year, a month or a date: the first day of it, or (end=True)
    the last."""
    m = _DATE.fullmatch(text)
    if not m:
        raise QueryError(f"published 的取值“{text}”不是日期，应写成 2024-03-31、2024-03 或 2024。")
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if not _YEAR_MIN <= int(y) <= _YEAR_MAX or (mo and not 1 <= int(mo) <= 12) \
            or (d and not 1 <= int(d) <= 31):
        raise QueryError(f"published 的取值“{text}”不是有效日期。")
    import calendar
    mo = int(mo) if mo else (12 if end else 1)
    last = calendar.monthrange(int(y), mo)[1]
    if d and int(d) > last:
        raise QueryError(f"published 的取值“{text}”不是有效日期（{y} 年 {mo} 月只有 {last} 天）。")
    d = int(d) if d else (last if end else 1)
    return f"{y}-{mo:02d}-{d:02d}"


def _date_range(value: str) -> str:
    """"FROM..TO" (full dates; either side may be open) from 2024-01-01..2024-03-31, 2024-03,
    2024, ..2024-03-31, 2024-01.. (also written with ~ or 至)."""
    parts = re.split(r"\.\.|~|～|至", value)
    if len(parts) == 1:
        return f"{_date_bound(value, False)}..{_date_bound(value, True)}"
    if len(parts) != 2 or not (parts[0] or parts[1]):
        raise QueryError(f"published 的取值“{value}”应写成 2024-01-01..2024-03-31。")
    lo = _date_bound(parts[0], False) if parts[0] else ""
    hi = _date_bound(parts[1], True) if parts[1] else ""
    if lo and hi and hi < lo:
        raise QueryError(f"日期范围“{value}”前后颠倒。")
    return f"{lo}..{hi}"


def in_date_range(date: str | None, span: str) -> bool:
    """Whether a YYYY-MM-DD date lies in a _date_range span (no date: never)."""
    if not date:
        return False
    lo, _, hi = span.partition("..")
    return (not lo or date >= lo) and (not hi or date <= hi)
