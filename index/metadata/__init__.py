"""Metadata of one report: title, issuer, level, province/city, year, dates and source.

Works on the cleaned lines of a report (display form, Simplified, web-page chrome included)
with rules only: labels and name endings come from the `metadata:` and `levels:` blocks of
the configuration, places from the gazetteer in `index.places`. A field the text does not
tell stays None; only the title may be composed (and is then marked `title_derived`).

The issuer is written as the text gives it, in its fullest form:
- a signature or source field that contains the name found in the title or opening wins;
- a government named only by its place (title "某县2023年…", opening "2023年,某县坚持…")
  takes its formal name (某县人民政府, 某街道办事处, 某盟行政公署) when the text names that
  government (for a league or prefecture: 某盟行政公署, or 行署 standing free: 盟委、行署):
  某县人民政府 / 某县政府 anywhere, or the level word free-standing as its own (县委、县政府,
  区人民政府; a district's 市政府 is its city's, and "在市委、市政府领导下" names superiors);
  the informal 政府 ending is written out (某乡政府 -> 某乡人民政府);
- otherwise the bare place name stays: a government's name is never invented.

When no subject, title, signature or portal field names the issuer, the whole text decides:
- a government speaking of itself only by role (全省各级行政机关, 省委、省政府, 本市, 盟委、
  行署, 街道 as a sentence's subject; `issuer.text_role`) is the one place of that level the
  text names (cited documents and slogans count twice, a province by its short form, a
  municipality's 市 is 省级, a street by its short name in the county the text names), with
  its government's formal name (人民政府, a league's 行政公署, a street's 办事处);
- a report naming itself by role (县交通运输局, 县委、县政府) is named as its text writes the
  place it resolves to (金平县, not the gazetteer's 金平苗族瑶族傣族自治县); a role leading the
  first sentence is its subject, so a place written later in that sentence is not the issuer;
- a department speaking only as 我局/我委/我厅 is named by its work (`departments`) after the
  place the text or the page's address settles;
- a portal 发布机构 that is a government's general office posting a report that speaks as the
  government (我市) gives the government, not the office.
"""
from .dates import parse_date, report_years
from .issuer import formal_issuer, issuer_type_of
from .record import extract_metadata

__all__ = ["extract_metadata", "formal_issuer", "issuer_type_of", "parse_date", "report_years"]
