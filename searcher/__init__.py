"""The read path: query -> hits, facets, highlights, citations."""
from .engine import IndexNotFound, Searcher, StoreError, open_searcher
from .query import QueryError

__all__ = ["open_searcher", "Searcher", "IndexNotFound", "StoreError", "QueryError"]
