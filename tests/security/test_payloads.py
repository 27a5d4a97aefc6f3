"""Hostile text through every output: reports whose title, outlet, URL and text carry HTML,
rich markup, Markdown links, terminal escapes and CDATA ends are ingested through the CLI, then
read back through the CLI (tables, search, Markdown and JSON briefs), the JSON API, the HTML
pages and the Atom feeds. Nothing crashes, nothing is interpreted: markup prints as text, HTML is
escaped, Markdown links are inert, URLs are percent-encoded, Atom stays well-formed XML.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import httpx
import pytest
from cli import run, write_jsonl

SCRIPT = "<script>alert(1)</script>"
MARKUP = "[/] [bold red]shout[/bold red] [link=file:///etc/passwd]x[/link]"
MD_LINK = "[click](javascript:alert(1)) ![img](http://127.0.0.1/x.png)"
ESCAPE = "\x1b[2J\x1b]0;owned\x07"
CDATA = "]]></title><evil/>"

TEXT = ("Belarus and Russia agreed on Thursday to coordinate their lists of unfriendly states, "
        "the two foreign ministries said in Minsk, adding that further measures would follow. ")


def rows() -> list[dict]:
    hostile = f"{SCRIPT} {MARKUP} {MD_LINK} {ESCAPE} {CDATA}"
    return [
        {"id": f"p{i}", "title": f"Lists coordinated {hostile} #{i}",
         "text": TEXT * 3 + hostile + f" Report number {i} with its own details {i * 7}.",
         "source": f"Wire {SCRIPT} {MARKUP}", "date": f"2024-03-0{i + 1}T10:00:00Z", "lang": "en",
         "url": f"https://news{i}.example/a?q=\"><script>alert({i})</script>&x=`y`"}
        for i in range(3)
    ]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("payloads")
    path = folder / "s.db"
    proc = run(path, "ingest", str(write_jsonl(folder / "in.jsonl", rows())), check=False)
    assert proc.returncode == 0, proc.stderr
    return path


def clean(out: str) -> None:
    assert "Traceback" not in out and "MarkupError" not in out
    assert "\x1b]0;owned" not in out, "a terminal escape from a report reached the terminal"


def test_cli_prints_markup_and_escapes_as_text(db):
    for args in (("search", "coordinated"), ("search", "[/]"), ("events",), ("storylines",),
                 ("event", "1")):
        proc = run(db, *args, check=False)
        assert proc.returncode == 0, (args, proc.stderr)
        clean(proc.stdout + proc.stderr)
    shown = run(db, "search", "coordinated").stdout
    assert "[/]" in shown and "[bold red]shout" in shown  # printed, not interpreted


def test_markdown_brief_is_inert(db):
    sid = json.loads(run(db, "storylines", "--json").stdout)[0]["id"]
    md = run(db, "brief", sid).stdout
    clean(md)
    assert SCRIPT not in md and "<script>" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # "\[click\](...)": no link
    assert "%3Cscript%3E" in md  # the source URL is shown percent-encoded


def test_json_outputs_round_trip_the_text(db):
    hits = json.loads(run(db, "search", "coordinated", "--json").stdout)
    assert any(MARKUP in h["title"] and SCRIPT in h["source"] for h in hits)  # data, as given
    sid = json.loads(run(db, "storylines", "--json").stdout)[0]["id"]
    body = json.loads(run(db, "brief", sid, "--json").stdout)
    assert body  # valid JSON whatever the text held


def test_web_pages_api_and_atom_escape_everything(db):
    from test_web_support import running_server

    with running_server(db) as base, httpx.Client(base_url=base, timeout=20) as web:
        storylines = web.get("/api/v1/storylines").json()["items"]
        sid = storylines[0]["id"]
        for path in ("/", f"/storylines/{sid}", "/search?q=coordinated", "/events/1",
                     f"/search?q={MARKUP}"):
            page = web.get(path)
            assert page.status_code == 200, path
            assert SCRIPT not in page.text and "<evil/>" not in page.text, path
        api = web.get("/api/v1/search", params={"q": "coordinated"})
        assert api.status_code == 200 and SCRIPT in api.text  # JSON carries it as data
        assert api.headers["content-type"].startswith("application/json")
        for feed in (f"/api/v1/storylines/{sid}/briefs.atom", "/api/v1/briefs.atom"):
            resp = web.get(feed)
            assert resp.status_code == 200, feed
            ET.fromstring(resp.content)  # well-formed despite "]]>" and "<evil/>"
            assert b"<evil/>" not in resp.content and b"<script>" not in resp.content
