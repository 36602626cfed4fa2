"""Exporting all hits of a search as CSV and XLSX (issue 12), read back."""
from __future__ import annotations


def test_results_export_csv_and_xlsx(client, searcher):
    import csv
    import io

    from openpyxl import load_workbook

    expected = searcher.search("出庭应诉", filters={"province": ["浙江"]}, limit=10_000)
    assert expected["total"] > 0
    resp = client.get("/api/search.csv?q=出庭应诉&province=浙江")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    assert resp.headers["X-Total-Hits"] == str(expected["total"])
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == [h["id"] for h in expected["hits"]]
    text_col, cite_col = header.index("段落原文"), header.index("引用")
    for r, h in zip(body, expected["hits"]):
        assert r[text_col] == h["text"] and r[cite_col] == h["citation"]
        assert r[header.index("省份")] == "浙江"
    x = client.get("/api/search.xlsx?q=出庭应诉&province=浙江")
    assert x.status_code == 200
    ws = load_workbook(io.BytesIO(x.data)).active
    values = list(ws.values)
    assert list(values[0]) == header
    assert [v[0] for v in values[1:]] == [h["id"] for h in expected["hits"]]
    assert [v[text_col] for v in values[1:]] == [h["text"] for h in expected["hits"]]
    # a bad query is a Chinese error, not a file
    bad = client.get('/api/search.csv?q="未闭合')
    assert bad.status_code == 400
    page = client.get("/?q=出庭应诉&province=浙江").get_data(as_text=True)
    assert 'id="results-xlsx"' in page


def test_cli_search_exports_the_same_rows_as_the_page(client, searcher, index_dir, tmp_path,
                                                       capsys):
    import csv
    import io

    from openpyxl import load_workbook

    from web.cli import main

    page = client.get("/api/search.csv?q=出庭应诉&province=浙江").get_data(as_text=True)
    page_rows = list(csv.reader(io.StringIO(page.lstrip("\ufeff"))))
    capsys.readouterr()
    assert main(["search", "出庭应诉", "--province", "浙江", "--csv",
                 "--index-dir", index_dir]) == 0
    cli_rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    link = page_rows[0].index("链接")
    # the same rows, cell for cell, but the link: the page knows its address, the CLI a path
    assert [r[:link] for r in cli_rows] == [r[:link] for r in page_rows]
    assert all(r[link] == "/p/" + r[0] for r in cli_rows[1:])

    out = tmp_path / "结果.xlsx"
    assert main(["search", "出庭应诉", "--province", "浙江", "--xlsx", str(out),
                 "--index-dir", index_dir]) == 0
    values = [["" if c is None else str(c) for c in v]
              for v in load_workbook(out).active.values]      # empty cells read back as None
    assert [v[:link] for v in values] == [r[:link] for r in page_rows]
    assert "已写入" in capsys.readouterr().err
    assert main(["search", "出庭应诉", "--csv", "--limit", "5", "--index-dir", index_dir]) == 2
