import json

from storyline.ingest.files import Row, RowError, read_file


def test_jsonl_bad_rows_reported_with_line_and_rest_kept(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(
        json.dumps({"id": "a", "title": "One", "text": "First text", "date": "2024-01-02"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "b", "title": "No text"}) + "\n"
        + json.dumps(["a", "list"]) + "\n"
        + "\n"
        + json.dumps({"id": "c", "text": "<p>Third &amp; last</p>", "date": "garbage"}) + "\n",
        encoding="utf-8",
    )
    items = list(read_file(p))
    rows = [i for i in items if isinstance(i, Row)]
    errors = [str(i) for i in items if isinstance(i, RowError)]
    assert [r.article.external_id for r in rows] == ["a", "c"]
    assert errors == [
        f"{p}:2: invalid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{p}:3: missing or empty 'text'",
        f"{p}:4: expected a JSON object, got list",
    ]
    assert rows[1].article.text == "Third & last"
    assert rows[1].article.published is None and rows[1].warnings
    assert rows[0].article.published.isoformat() == "2024-01-02T00:00:00+00:00"
    assert rows[0].external_key == "in:a"


def test_csv_with_optional_columns_and_bad_row(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text(
        "id,title,text,date,lang,source\n"
        "1,Hello,Body one,2023-05-01T10:00:00+03:00,en,Outlet\n"
        "2,Extra,Body,2023-05-01,en,Outlet,surplus\n"
        '3,"Quoted, title","Body, with comma",,ru,\n',
        encoding="utf-8",
    )
    items = list(read_file(p))
    assert [str(i) for i in items if isinstance(i, RowError)] == [
        f"{p}:3: 1 more fields than the header names"
    ]
    rows = [i for i in items if isinstance(i, Row)]
    assert rows[0].article.published.hour == 7  # +03:00 → UTC
    assert rows[1].article.title == "Quoted, title" and rows[1].article.lang == "ru"


def test_csv_without_text_column_is_one_clear_error(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("id,title\n1,a\n", encoding="utf-8")
    assert [str(i) for i in read_file(p)] == [f"{p}:1: CSV header must name a 'text' column"]


def test_unsupported_and_missing_files(tmp_path):
    (tmp_path / "a.xml").write_text("<x/>")
    assert "unsupported file type" in str(next(read_file(tmp_path / "a.xml")))
    assert str(next(read_file(tmp_path / "none.jsonl"))).endswith("no such file")


def test_a_modifier_letter_apostrophe_reads_as_the_usual_one(tmp_path):
    """Some Ukrainian outlets write U+02BC inside words ("премʼєр-міністр"): a letter to
    Unicode, so the word stood whole and the lexicon's "prime minister" (прем'єр*) missed it."""
    from storyline.store.query import lexicon

    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "u", "title": "Премʼєр-міністр України",
                             "text": "Премʼєр-міністр провів зустріч у Брюсселі.",
                             "date": "2024-01-02", "lang": "uk"}) + "\n", encoding="utf-8")
    (row,) = [i for i in read_file(p) if isinstance(i, Row)]
    assert row.article.title == "Прем’єр-міністр України"
    assert "ʼ" not in row.article.text
    assert "prime minister" in lexicon().concepts_in(row.article.text)
