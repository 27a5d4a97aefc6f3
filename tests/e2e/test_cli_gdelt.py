"""``storyline gdelt`` end to end: a GDELT export whose source URLs point at pages served on
127.0.0.1, imported through the CLI with ``--fetch-pages``; then relations and coordination read
the imported records, each tied to the fetched report. The pages and events are invented."""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cli import run, run_json

from storyline.ingest.gdelt import LAYOUTS

RUS_GOV = {"Actor1Code": "RUSGOV", "Actor1CountryCode": "RUS", "Actor1Type1Code": "GOV"}
BLR_GOV = {"Actor1Code": "BLRGOV", "Actor1CountryCode": "BLR", "Actor1Type1Code": "GOV"}


def event(gid: int, day: str, source: dict[str, str], target: str, mentions: int, url: str,
          root: bool = True) -> str:
    """A GDELT 2.0 export line: ``source`` imposes sanctions (CAMEO 163) on ``target``."""
    values = {"GLOBALEVENTID": str(gid), "SQLDATE": day, "EventCode": "163",
              "GoldsteinScale": "-8", "IsRootEvent": "1" if root else "0",
              "NumMentions": str(mentions), "SOURCEURL": url, "Actor2Code": target,
              "Actor2CountryCode": target, **source}
    return "\t".join(values.get(c, "") for c in LAYOUTS[61])

PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="article:published_time" content="{day}T09:00:00Z"></head>
<body><nav>Home | World | Markets</nav><article><h1>{title}</h1>{body}</article>
<footer>Copyright Example Wire</footer></body></html>"""

STORIES = {
    "/ru-pol": ("Russia bars Polish hauliers in reply to sanctions", "2022-03-07",
                "The Russian government on Monday barred lorries registered in Poland from its "
                "roads, calling the step a reply to sanctions imposed by Warsaw. "),
    "/by-pol": ("Belarus follows Moscow with a ban on Polish lorries", "2022-03-10",
                "Belarus on Thursday banned lorries registered in Poland from entering the "
                "country, three days after Russia announced the same measure. "),
}


#: Other files the server serves (path -> bytes); the --latest test fills it.
FILES: dict[str, bytes] = {}


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        if self.path in FILES:
            data = FILES[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        story = STORIES.get(self.path)
        if story is None:
            self.send_error(404)
            return
        title, day, sentence = story
        body = "".join(f"<p>{sentence * 3}Officials in {city} said the measure would stay in "
                       f"force until further notice.</p>" for city in ("Moscow", "Minsk", "Warsaw"))
        data = PAGE.format(title=title, day=day, body=body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def pages() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_gdelt_import_fetches_the_reports_and_links_the_records(tmp_path, pages, monkeypatch):
    monkeypatch.setenv("STORYLINE_ALLOW_PRIVATE_URLS", "1")  # the pages are on 127.0.0.1
    export = tmp_path / "20220311.export.CSV"
    export.write_text("\n".join([
        event(1, "20220307", RUS_GOV, "POL", 30, f"{pages}/ru-pol"),
        event(2, "20220310", BLR_GOV, "POL", 12, f"{pages}/by-pol"),
        event(3, "20220311", BLR_GOV, "LTU", 2, f"{pages}/gone", root=False),  # 404: kept, unlinked
        "a broken line",
    ]) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    run(db, "watches", "add", "--actor", "BLR.GOV")
    report = run_json(db, "gdelt", str(export), "--fetch-pages")
    assert report["alerts"] == 1  # the watch hears of the imported records at once
    assert report["pages"]["urls"] == 3 and report["pages"]["fetched"] == 2
    assert report["pages"]["failed"] == 1 and "/gone" in report["pages"]["warnings"][0]
    assert report["added"] == 3 and report["rejected"] == 1
    assert report["errors"][0].endswith(":4: 1 tab-separated fields; a GDELT event export line "
                                        "has 57, 58 or 61")
    assert report["linked_to_articles"] == 2

    hits = run_json(db, "search", "lorries")
    hits = hits["hits"] if isinstance(hits, dict) else hits
    assert {h["title"] for h in hits} == {title for title, _, _ in STORIES.values()}

    # The coordinated ban is found from the imported records, each tied to its stored report
    # (storyline's own coder read the fetched pages too: --origin keeps the two apart).
    coord = run_json(db, "coordination", "RUS", "BLR", "--origin", "gdelt")
    (episode,) = coord["coordination"]
    assert episode["type"] == "SANCTION" and episode["targets"] == ["POL"]
    (ev,) = episode["evidence"]
    assert ev["a"]["origin"] == ev["b"]["origin"] == "gdelt" and ev["gap_days"] == 3
    assert ev["a"]["article_id"] is not None and ev["b"]["article_id"] is not None
    both = run_json(db, "coordination", "RUS", "BLR")["coordination"]
    assert {e["evidence"][0]["a"]["origin"] for e in both} >= {"coder"}
    assert run(db, "coordination", "RUS", "BLR", "--origin", "nope", check=False).returncode

    # Importing the same export again adds nothing and fetches nothing new.
    again = run_json(db, "gdelt", str(export), "--fetch-pages")
    assert again["added"] == 0 and again["already_stored"] == 3
    assert again["pages"]["fetched"] == 0

    text = run(db, "gdelt", str(tmp_path / "missing.CSV"), check=False)
    assert text.returncode != 0 and "no such file" in text.stderr


def test_gdelt_latest_downloads_the_newest_export_checks_it_and_imports_it(
        tmp_path, pages, monkeypatch):
    monkeypatch.setenv("STORYLINE_ALLOW_PRIVATE_URLS", "1")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("20220311000000.export.CSV",
                    event(7, "20220310", BLR_GOV, "POL", 12, f"{pages}/by-pol") + "\n")
    export = buf.getvalue()
    good = hashlib.md5(export).hexdigest()
    FILES["/gdelt/20220311000000.export.CSV.zip"] = export
    listing = (f"{len(export)} {good} {pages}/gdelt/20220311000000.export.CSV.zip\n"
               f"10 {'0' * 32} {pages}/gdelt/20220311000000.mentions.CSV.zip\n")
    FILES["/lastupdate.txt"] = listing.encode()
    FILES["/damaged.txt"] = listing.replace(good, "f" * 32).encode()
    db = tmp_path / "s.db"

    bad = run(db, "gdelt", "--latest", "--update-url", f"{pages}/damaged.txt", check=False)
    assert bad.returncode != 0 and "MD5 differs" in bad.stderr
    assert not list((tmp_path / "home" / "gdelt").glob("*.zip"))  # nothing damaged is kept

    report = run_json(db, "gdelt", "--latest", "--update-url", f"{pages}/lastupdate.txt")
    assert report["latest"].endswith("20220311000000.export.CSV.zip") and report["added"] == 1
    again = run_json(db, "gdelt", "--latest", "--update-url", f"{pages}/lastupdate.txt")
    assert again["added"] == 0 and again["already_stored"] == 1
    assert "give GDELT export files" in run(db, "gdelt", check=False).stderr
