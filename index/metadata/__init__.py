"""Metadata of one report: title, issuer, level, province/city, year, dates and source.

Works on the cleaned lines of a report (display form, Simplified, web-page chrome included)
with rules only: labels and name endings come from the `metadata:` and `levels:` blocks of
the configuration, places from the gazetteer in `index.places`. A field the text does not
tell stays None; only the title may be composed (and is then marked `title_derived`).

The issuer is written as the text gives it, in its fullest form:
- a signature or source field that contains the name found in the title or opening wins;
- a government named only by its place (title "某县2023年…", opening "2023年,某县坚持…")
  takes its formal name (某县人民政府, 某街道办事处) when the text names that government:
  某县人民政府 / 某县政府 anywhere, or the level word free-standing as its own (县委、县政府,
  区人民政府; a district's 市政府 is its city's, and "在市委、市政府领导下" names superiors);
  the informal 政府 ending is written out (某乡政府 -> 某乡人民政府);
- otherwise the bare place name stays: a government's name is never invented.
"""
from .dates import parse_date, report_years
from .issuer import formal_issuer, issuer_type_of
from .record import extract_metadata

__all__ = ["extract_metadata", "formal_issuer", "issuer_type_of", "parse_date", "report_years"]
