"""What our searcher is measured against.

- `scan_search`: brute force, `all(q in t for q in terms)` over every paragraph. Exact by
  construction (it is the grep the search must agree with), and the speed floor to beat.
- `NaiveWhoosh`: the recipe users copy from Whoosh/jieba tutorials: jieba's
  ChineseAnalyzer on the text field, ID facet fields, a multiprocess writer, QueryParser
  queries and `groupedby` facets. It is the honest standard setup, not tuned against: its
  recall on exact phrases is whatever jieba's segmentation gives.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path


def scan_search(texts: list[str], terms: list[str], facets: dict[str, list]) -> tuple[list[int], dict[str, Counter]]:
    """Indices of the texts containing every term, and per facet the values' counts among them.

    `facets` maps a facet name to a list aligned with `texts` (one value per text)."""
    ids = [i for i, t in enumerate(texts) if all(q in t for q in terms)]
    counts = {name: Counter(values[i] for i in ids) for name, values in facets.items()}
    return ids, counts


class NaiveWhoosh:
    """A Whoosh index built the way tutorials show it; one document per paragraph.

    Documents are dicts with "id", "text" and one string (or int) per facet field."""

    def __init__(self, facet_fields: Iterable[str] = ("level", "province", "city", "year", "section")):
        self.facet_fields = tuple(facet_fields)
        self.ix = None

    def schema(self):
        from jieba.analyse import ChineseAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        fields = {"id": ID(stored=True, unique=True),
                  "text": TEXT(stored=True, analyzer=ChineseAnalyzer())}
        for name in self.facet_fields:
            fields[name] = ID(stored=True)
        return Schema(**fields)

    def build(self, dir: str | Path, docs: Iterable[dict]) -> None:
        """Create a fresh index in `dir` holding `docs`."""
        from whoosh import index

        path = Path(dir)
        path.mkdir(parents=True, exist_ok=True)
        self.ix = index.create_in(str(path), self.schema())
        writer = self.ix.writer(procs=2, multisegment=True)
        for doc in docs:
            fields = {"id": str(doc["id"]), "text": doc["text"]}
            for name in self.facet_fields:
                value = doc.get(name)
                if value is not None:
                    fields[name] = str(value)
            writer.add_document(**fields)
        writer.commit()

    def open(self, dir: str | Path) -> None:
        """Use an index `build` wrote earlier."""
        from whoosh import index

        self.ix = index.open_dir(str(dir))

    def search(self, q: str, facets: bool = True, limit: int = 20) -> tuple[list[str], int, dict[str, dict]]:
        """(ids of the top `limit` hits, number of matching documents, facet counts)."""
        from whoosh import sorting
        from whoosh.qparser import QueryParser

        if self.ix is None:
            raise RuntimeError("NaiveWhoosh.search called before build() or open()")
        query = QueryParser("text", self.ix.schema).parse(q)
        groupedby = None
        if facets:
            groupedby = {name: sorting.FieldFacet(name, maptype=sorting.Count)
                         for name in self.facet_fields}
        with self.ix.searcher() as searcher:
            results = searcher.search(query, limit=limit, groupedby=groupedby)
            ids = [hit["id"] for hit in results]
            total = len(results)
            counts = {name: dict(results.groups(name)) for name in self.facet_fields} if facets else {}
        return ids, total, counts
