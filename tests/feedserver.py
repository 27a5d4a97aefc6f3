"""A small threaded HTTP server on 127.0.0.1 that serves test feeds, pages and faults.

Every document here is invented for the tests: the outlets ("Example Tribune", "Nowhere
Herald", ...) and their stories are fake. Routes cover each way a real source can go wrong:
malformed XML, wrong or missing encodings, truncated bodies, a 20 MB body, conditional GET,
404/500, redirect loops, slow and dripping responses, bad dates, teasers with full-text pages,
and one item published in two feeds.

Use it through the ``feed_server`` fixture in ``conftest.py``; ``server.url("/rss20.xml")``
gives an absolute URL and ``server.requests`` records what was asked (path and headers).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ETAG = '"v1-abc"'
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)  # Tue, 14 Nov 2023 22:13:20 GMT
HUGE_SIZE = 20 * 1024 * 1024

RSS20 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Example Tribune</title>
  <link>{base}/</link>
  <description>Invented news for tests</description>
  <language>en-us</language>
  <item>
    <title>Ministers of Freedonia and Sylvania meet in Lakeside</title>
    <link>{base}/story/freedonia-sylvania</link>
    <guid isPermaLink="false">tribune-0001</guid>
    <pubDate>Mon, 06 May 2024 09:30:00 +0300</pubDate>
    <author>desk@example.invalid (Tribune Desk)</author>
    <category>Diplomacy</category>
    <description>&lt;p&gt;The foreign ministers of &lt;b&gt;Freedonia&lt;/b&gt; and Sylvania
      met on Monday.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>The foreign ministers of <b>Freedonia</b> and Sylvania met on
      Monday in the lakeside town of Lakeside to discuss a disputed border crossing.</p>
      <p>Both sides described the talks as constructive and agreed to meet again next month,
      according to officials who spoke to the Tribune after the meeting ended.</p>
      <p>A joint commission will map the crossing and report back to both governments before
      the summer recess, the officials said, adding that trade would continue meanwhile.</p>
      ]]></content:encoded>
  </item>
  <item>
    <title>Grain exports from Sylvania rise for the third month</title>
    <link>{base}/story/grain</link>
    <guid>{base}/story/grain</guid>
    <pubDate>Tue, 07 May 2024 12:00:00 GMT</pubDate>
    <description>Sylvanian grain exports rose again in April, the trade office said.</description>
  </item>
</channel>
</rss>
"""

RSS091 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91">
<channel>
  <title>Nowhere Herald</title>
  <link>{base}/</link>
  <description>Old-style feed</description>
  <language>fr</language>
  <item>
    <title>Le conseil de Freedonie vote le budget</title>
    <link>/herald/budget</link>
    <description>Le conseil a adopt\xe9 le budget apr\xe8s un long d\xe9bat.</description>
  </item>
</channel>
</rss>
"""

RSS10 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="{base}/rss10.rdf">
    <title>Fictional Wire</title>
    <link>{base}/</link>
    <description>RDF site summary</description>
    <dc:language>de</dc:language>
    <items><rdf:Seq><rdf:li resource="{base}/wire/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="{base}/wire/1">
    <title>Parlament von Sylvanien tagt</title>
    <link>{base}/wire/1</link>
    <description>Das Parlament tagte am Mittwoch.</description>
    <dc:date>2024-05-08T10:00:00+02:00</dc:date>
  </item>
</rdf:RDF>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Imaginary Times</title>
  <id>urn:example:imaginary-times</id>
  <updated>2024-05-09T08:00:00Z</updated>
  <link href="{base}/"/>
  <entry>
    <title type="html">Summit in &lt;i&gt;Lakeside&lt;/i&gt; ends</title>
    <id>urn:example:imaginary-times:42</id>
    <link rel="alternate" href="{base}/times/42"/>
    <published>2024-05-09T07:00:00-04:00</published>
    <updated>2024-05-09T08:00:00Z</updated>
    <summary>The summit ended early.</summary>
    <content type="html">&lt;p&gt;The summit in Lakeside ended a day early.&lt;/p&gt;</content>
  </entry>
  <entry xml:lang="ru">
    <title>Саммит в Лейксайде завершился</title>
    <id>urn:example:imaginary-times:43</id>
    <link rel="alternate" href="{base}/times/43"/>
    <updated>2024-05-09T08:00:00Z</updated>
    <summary>Саммит завершился на день раньше.</summary>
  </entry>
</feed>
"""

MALFORMED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Broken Gazette</title>
  <item><title>First story survives</title><link>{base}/broken/1</link>
    <description>Before the damage.</description></item>
  <item><title>Second story &amp; a bad entity &nosuchentity; here</title>
    <link>{base}/broken/2</link><description>After <b>unclosed tags</description></item>
</channel>
"""

RU_ITEMS = (
    "Правительство Фридонии объявило о новых переговорах с соседями",
    "Министр иностранных дел заявил, что встреча состоится в следующем месяце в столице, "
    "а торговля между странами продолжится без ограничений.",
)


def _ru_feed(declared: str | None) -> str:
    decl = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else ""
    return (
        f'{decl}<rss version="2.0"><channel><title>Вымышленный вестник</title>'
        f"<link>http://example.invalid/</link><description>Тест</description>"
        f"<item><title>{RU_ITEMS[0]}</title><link>http://example.invalid/ru/1</link>"
        f"<description>{RU_ITEMS[1]}</description></item></channel></rss>"
    )


DATES = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Calendar Courier</title><link>{base}/</link>
  <description>Dates</description>
  <item><title>From the future</title><link>{base}/dates/future</link>
    <pubDate>Sat, 01 Jan 2999 00:00:00 GMT</pubDate><description>Not yet.</description></item>
  <item><title>No idea when</title><link>{base}/dates/junk</link>
    <pubDate>sometime around teatime, probably</pubDate><description>Who knows.</description></item>
  <item><title>Not applicable</title><link>{base}/dates/na</link>
    <pubDate>n/a</pubDate><description>Placeholder date.</description></item>
  <item><title>With a zone</title><link>{base}/dates/zone</link>
    <pubDate>Mon, 06 May 2024 09:30:00 +0300</pubDate><description>Fine.</description></item>
  <item><title>No date at all</title><link>{base}/dates/none</link>
    <description>Undated.</description></item>
</channel></rss>
"""

TEASERS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Teaser Post</title><link>{base}/</link>
  <description>Short items</description><language>en</language>
  <item><title>Border talks collapse after all-night session</title>
    <link>{base}/article/border-talks.html</link><guid>teaser-1</guid>
    <description>Talks between Freedonia and Sylvania collapsed early on Friday…</description>
  </item>
  <item><title>A story whose page is gone</title><link>{base}/article/gone.html</link>
    <guid>teaser-2</guid><description>This page will return 404.</description></item>
  <item><title>A story with a redirect loop</title><link>{base}/loop-a</link>
    <guid>teaser-3</guid><description>This page never resolves.</description></item>
  <item><title>A story with no text on its page</title><link>{base}/article/empty.html</link>
    <guid>teaser-4</guid><description>The page is blank.</description></item>
</channel></rss>
"""

ARTICLE_PARAGRAPHS = [
    "Talks between Freedonia and Sylvania collapsed early on Friday after an all-night session "
    "in Lakeside failed to settle the dispute over the northern border crossing.",
    "Negotiators for both governments left the conference centre shortly after dawn. The "
    "Freedonian delegation said it had offered to share customs revenue from the crossing, "
    "an offer Sylvania rejected as insufficient.",
    "The Sylvanian foreign ministry said in a statement that it remained open to dialogue but "
    "would not accept any arrangement that left the crossing under a single administration.",
    "Observers from the regional council, who attended as mediators, said they would propose a "
    "new round of talks within a month and urged both sides to refrain from unilateral steps.",
]

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Border talks collapse | Teaser Post</title>
</head><body>
<header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
</header>
<main><article>
<h1>Border talks collapse after all-night session</h1>
<p class="byline">By A. Reporter, Teaser Post</p>
{paragraphs}
</article>
<section id="comments"><h2>Comments</h2>
<div class="comment"><p>COMMENT-MARKER I disagree with everything in this article.</p></div>
</section></main>
<footer><p>Copyright Teaser Post. All rights reserved. Subscribe to our newsletter.</p></footer>
</body></html>
"""

SHARED_ITEM = """<item><title>Lakeside summit agrees ceasefire monitoring</title>
  <link>{base}/shared/summit</link><guid isPermaLink="true">{base}/shared/summit</guid>
  <pubDate>Thu, 09 May 2024 10:00:00 GMT</pubDate>
  <description>Leaders agreed to a monitoring mission.</description></item>"""

FEED_A = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Outlet A</title><link>{base}/</link><description>A</description>
  <item><title>Only in A</title><link>{base}/a/1</link><guid>a-1</guid>
    <description>A's own story.</description></item>
  {shared}
</channel></rss>
""".replace("{shared}", SHARED_ITEM)

FEED_B = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Outlet B</title><link>{base}/</link><description>B</description>
  {shared}
  <item><title>Only in B</title><link>{base}/b/1</link><guid>b-1</guid>
    <description>B's own story.</description></item>
  {shared}
</channel></rss>
""".replace("{shared}", SHARED_ITEM)  # B even repeats the item within itself


@dataclass
class Served:
    """What the server saw: one record per request."""

    path: str
    headers: dict[str, str]
    time: float


@dataclass
class FeedServer:
    """Handle on the running server: base URL, request log and byte counters."""

    host: str
    port: int
    stop: threading.Event
    requests: list[Served] = field(default_factory=list)
    bytes_sent: dict[str, int] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Served]:
        return [r for r in self.requests if r.path == path]


class _Handler(BaseHTTPRequestHandler):
    server_version = "FeedServer/1.0"
    state: FeedServer  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output quiet
        pass

    # helpers ----------------------------------------------------------------------------
    def _send(
        self,
        body: bytes | str,
        ctype: str = "application/rss+xml; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self._count(len(data))

    def _count(self, n: int) -> None:
        self.state.bytes_sent[self.path] = self.state.bytes_sent.get(self.path, 0) + n

    def _redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _fmt(self, template: str) -> str:
        return template.replace("{base}", self.state.base)

    # routing ----------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self.state.requests.append(
            Served(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        )
        path = self.path.split("?")[0]
        if path.startswith("/hops/"):
            return self._hops(int(path.rsplit("/", 1)[1]))
        route = ROUTES.get(path)
        if route is None:
            return self._send(f"no route {path}", "text/plain", 404)
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up (size cap, timeout): expected in several tests

    def _hops(self, n: int) -> None:
        if n <= 0:
            return self._send(self._fmt(RSS20))
        return self._redirect(f"/hops/{n - 1}")


def _static(
    template: str, ctype: str = "application/rss+xml; charset=utf-8", encoding: str = "utf-8"
) -> Callable[[_Handler], None]:
    def route(h: _Handler) -> None:
        h._send(h._fmt(template).encode(encoding), ctype)

    return route


def _etag(h: _Handler) -> None:
    if (
        h.headers.get("If-None-Match") == ETAG
        or h.headers.get("If-Modified-Since") == LAST_MODIFIED
    ):
        h.send_response(304)
        h.send_header("ETag", ETAG)
        h.end_headers()
        return
    h._send(h._fmt(RSS20), headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})


def _truncated_transfer(h: _Handler) -> None:
    """Promise the whole feed in Content-Length, send 60% of it, then close the connection."""
    data = h._fmt(RSS20).encode()
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml; charset=utf-8")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data[: int(len(data) * 0.6)])
    h.wfile.flush()
    h.close_connection = True


def _truncated_document(h: _Handler) -> None:
    """A complete HTTP response whose XML stops mid-way through the second item."""
    data = h._fmt(RSS20)
    cut = data.index("<title>Grain exports") + len("<title>Grain exp")
    h._send(data[:cut])


def _huge(h: _Handler) -> None:
    """A valid-looking 20 MB feed, generated on the fly and streamed in 64 KiB chunks."""
    head = h._fmt(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Endless Chronicle</title><link>{base}/</link><description>big"
        "</description>"
    ).encode()
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml; charset=utf-8")
    h.send_header("Content-Length", str(HUGE_SIZE))
    h.end_headers()
    h.wfile.write(head)
    sent = len(head)
    i = 0
    filler = "x" * 900
    while sent < HUGE_SIZE and not h.state.stop.is_set():
        chunk = b"".join(
            f"<item><title>Item {i + k}</title><link>{h.state.base}/big/{i + k}</link>"
            f"<guid>big-{i + k}</guid><description>{filler}</description></item>".encode()
            for k in range(60)
        )
        i += 60
        chunk = chunk[: HUGE_SIZE - sent]
        h.wfile.write(chunk)
        sent += len(chunk)
        h._count(len(chunk))


def _slow(h: _Handler) -> None:
    """Say nothing for 2 s (longer than any test's read timeout), then answer."""
    h.state.stop.wait(2.0)
    if not h.state.stop.is_set():
        h._send(h._fmt(RSS20))


def _drip(h: _Handler) -> None:
    """Send headers, then one byte every 20 ms: never silent long enough for a read timeout."""
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml; charset=utf-8")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    for _ in range(100000):
        if h.state.stop.wait(0.02):
            return
        h.wfile.write(b" ")
        h.wfile.flush()


def _error(status: int) -> Callable[[_Handler], None]:
    def route(h: _Handler) -> None:
        h._send(f"error {status}", "text/plain", status)

    return route


def _to(location: str, status: int = 302) -> Callable[[_Handler], None]:
    def route(h: _Handler) -> None:
        h._redirect(location, status)

    return route


def _article(h: _Handler) -> None:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    h._send(ARTICLE_HTML.format(paragraphs=paragraphs), "text/html; charset=utf-8")


def _article_cp1251(h: _Handler) -> None:
    """A Russian page in windows-1251, declared only in its <meta> tag."""
    paragraphs = "\n".join(f"<p>{RU_ITEMS[1]} {RU_ITEMS[0]}.</p>" for _ in range(4))
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"<title>{RU_ITEMS[0]}</title></head><body><article><h1>{RU_ITEMS[0]}</h1>"
        f"{paragraphs}</article></body></html>"
    )
    h._send(html.encode("cp1251"), "text/html")


ROUTES: dict[str, Callable[[_Handler], None]] = {
    "/rss20.xml": _static(RSS20),
    "/rss091.xml": _static(RSS091, "text/xml", encoding="latin-1"),
    "/rss10.rdf": _static(RSS10, "application/rdf+xml"),
    "/atom.xml": _static(ATOM, "application/atom+xml"),
    "/malformed.xml": _static(MALFORMED),
    "/cp1251-declared-utf8.xml": _static(_ru_feed("utf-8"), "text/xml", encoding="cp1251"),
    "/utf8-declared-cp1251.xml": _static(
        _ru_feed("windows-1251"), "application/rss+xml; charset=windows-1251"
    ),
    "/no-encoding.xml": _static(_ru_feed(None), "application/rss+xml", encoding="cp1251"),
    "/truncated-transfer.xml": _truncated_transfer,
    "/truncated-document.xml": _truncated_document,
    "/huge.xml": _huge,
    "/etag.xml": _etag,
    "/missing.xml": _error(404),
    "/broken.xml": _error(500),
    "/loop-a": _to("/loop-b"),
    "/loop-b": _to("/loop-a", 301),
    "/moved.xml": _to("/rss20.xml", 301),
    "/no-location": lambda h: h._send(b"", "", 302),
    "/slow.xml": _slow,
    "/drip.xml": _drip,
    "/dates.xml": _static(DATES),
    "/teasers.xml": _static(TEASERS),
    "/feed-a.xml": _static(FEED_A),
    "/feed-b.xml": _static(FEED_B),
    "/not-a-feed.html": _static(
        "<html><head><title>Welcome</title></head><body><p>Hello</p></body></html>", "text/html"
    ),
    "/empty.xml": _static(""),
    "/article/border-talks.html": _article,
    "/article/ru.html": _article_cp1251,
    "/article/empty.html": _static("<html><body></body></html>", "text/html"),
    "/article/doc.pdf": _static("%PDF-1.4 not really", "application/pdf"),
}


def start_server() -> tuple[FeedServer, Callable[[], None]]:
    """Start the server on a random 127.0.0.1 port; return its handle and a stop function."""
    stop = threading.Event()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    state = FeedServer("127.0.0.1", httpd.server_address[1], stop)
    httpd.RequestHandlerClass = type("Handler", (_Handler,), {"state": state})
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()

    def shutdown() -> None:
        stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)

    return state, shutdown
