"""A real browser (Debian's Chromium, headless, driven by Playwright) on the real server.

Covers the reading path (home → storyline → citation → article), the payload test (articles
whose title, text, source name and URL carry script/HTML payloads render inert: no dialog
fires, no injected element exists, nothing sets ``window.__pwned``), and saves a screenshot of
the storyline page under ``test-artifacts/``. Skips when Chromium or Playwright is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_web_support import Filled, fill_store, running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]

playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="Playwright is not installed (pip install playwright)")
if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Filled]]:
    filled = fill_store(tmp_path_factory.mktemp("browser") / "web.db")
    with running_server(filled.path) as base:
        yield base, filled


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # every alert/confirm/prompt that fires (there must be none)
    pg.csp_violations = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.csp_violations.append(m.text)
          if "Content Security Policy" in m.text else None)
    yield pg
    context.close()


def test_home_to_storyline_to_cited_article(site, page) -> None:
    base, filled = site
    page.goto(base + "/")
    page.get_by_role("link", name="Russia–Belarus coordinated push").first.click()
    page.wait_for_url(f"{base}/storylines/S1")
    assert "gain momentum" in page.locator("h1").inner_text()
    citation = page.locator("#brief p.lead a.cite").first
    target = citation.get_attribute("href")
    assert target == f"/articles/{filled.original}"
    citation.click()
    page.wait_for_url(base + target)
    assert page.locator("h1").inner_text() == "Russia and Belarus sign security pact"
    assert page.get_by_text("Duplicates and near-duplicates").is_visible()
    assert page.dialogs == []


def test_payloads_render_inert(site, page) -> None:
    base, filled = site
    paths = ["/", "/storylines/S1", f"/articles/{filled.payload_article}",
             f"/events/{filled.events[2]}", "/search?q=grain", "/sources", "/actors/RUS",
             "/api/v1/storylines/S1/briefs/2.html"]
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("load")
        injected = page.evaluate(
            "() => ({pwned: window.__pwned === 1,"
            " injected: document.querySelectorAll('[data-injected]').length,"
            " imgs: document.querySelectorAll('img').length,"
            " handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes]"
            "   .some(a => a.name.startsWith('on'))).length,"
            " jsLinks: [...document.querySelectorAll('a[href]')].filter(a =>"
            "   a.protocol === 'javascript:').length})")
        assert injected == {"pwned": False, "injected": 0, "imgs": 0, "handlers": 0,
                            "jsLinks": 0}, path
    page.goto(f"{base}/articles/{filled.payload_article}")
    assert "<script>window.__pwned" in page.locator("h1").inner_text()  # shown as text
    assert page.dialogs == []
    assert page.csp_violations == []  # nothing even tried to run inline


def test_storyline_screenshot(site, page) -> None:
    base, _ = site
    page.goto(base + "/storylines/S1")
    page.wait_for_load_state("load")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "storyline-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.evaluate("document.documentElement.dataset.storyline") == "storyline"  # app.js ran
