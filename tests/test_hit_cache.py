"""A paragraph rendered for a search is kept and reused (searcher/engine.py `_hit`): the same
search gives the same hits, what one caller does to its hits never reaches the next, and the
marks follow each search's own terms."""
import copy


def test_a_repeated_search_gives_equal_hits_untouched_by_what_the_first_caller_did(searcher):
    first = searcher.search("法治政府", limit=10)
    assert first["hits"]
    kept = copy.deepcopy(first["hits"])
    for hit in first["hits"]:               # what a view may do with its hits
        hit["text"] = "改过"
        hit["section_path"].append("多出的一级")
        hit.pop("score")
    again = searcher.search("法治政府", limit=10)
    assert again["hits"] == kept


def test_the_same_paragraph_is_marked_for_each_searchs_own_terms(searcher):
    hit = searcher.search("法治政府", limit=1)["hits"][0]
    wider = searcher.search("法治", limit=None)["hits"]
    same = next(h for h in wider if h["id"] == hit["id"])
    assert same["text"] == hit["text"]
    assert "<mark>法治政府</mark>" in hit["highlight"]
    assert "<mark>法治</mark>政府" in same["highlight"]
