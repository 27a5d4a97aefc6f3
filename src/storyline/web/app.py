"""The ASGI app: HTML pages, the JSON API under ``/api/v1``, static files, Atom feeds.

``create_app(db_path)`` builds it; ``storyline serve`` runs it with uvicorn. Routes are thin:
each asks the store (one connection per worker thread, WAL lets them read side by side) and
renders a template or returns JSON. Errors never show a stack trace: a generic page or JSON body
is returned and the details go to the server log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..brief.render import relation_text
from ..cluster.tracked import gathered_why
from ..store import open_store
from .cache import ResponseCache
from .security import BodyLimit, SecurityHeaders, WebSettings, safe_href

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"


class StorePool:
    """One store connection per thread: SQLite connections must not be shared mid-query."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def get(self) -> Any:
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.path)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                try:
                    store.close()
                except Exception:  # closing from another thread may fail; the process ends
                    pass
            self._all.clear()


def store_of(request: Request) -> Any:
    """The calling thread's store."""
    return request.app.state.stores.get()


def event_with_articles(request: Request, event_id: int) -> tuple[Any, list[Any]]:
    """An event and its articles (copies included), or 404 when there is no such event or it
    lost its articles to a merge."""
    store = store_of(request)
    event = store.event(event_id)
    if event is None or event.article_count == 0:
        raise HTTPException(404, f"no event {event_id}")
    return event, store.articles(event_id=event_id, limit=1000)


def settings_of(request: Request) -> WebSettings:
    return request.app.state.settings


# -- templates ---------------------------------------------------------------------------------
def _fmt_dt(value: Any, with_time: bool = True) -> str:
    if not value:
        return "—"
    if isinstance(value, str):
        return value[:16].replace("T", " ") if with_time else value[:10]
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M") if with_time else value.strftime("%Y-%m-%d")
    return str(value)


def make_templates() -> Environment:
    """Jinja2 with autoescape for every HTML/XML template (and for strings rendered ad hoc)."""
    env = Environment(
        loader=PackageLoader("storyline.web", "templates"),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["dt"] = _fmt_dt
    env.filters["day"] = lambda v: _fmt_dt(v, with_time=False)
    env.filters["href"] = safe_href
    env.filters["seg"] = lambda v: quote(str(v), safe="")  # one URL path segment
    env.filters["relation"] = relation_text  # what a related report says of the story
    env.filters["gathered_why"] = gathered_why  # why a tracked storyline took an event
    env.filters["num"] = lambda v: f"{v:,}" if isinstance(v, int) else v
    env.globals["version"] = __version__
    return env


def render(request: Request, template_name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page template with the request in its context."""
    template = request.app.state.templates.get_template(template_name)
    html = template.render(request=request, **context)
    return HTMLResponse(html, status_code=status)


# -- errors ------------------------------------------------------------------------------------
def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


_MESSAGES = {400: "Bad request", 401: "Token required", 403: "Forbidden", 404: "Not found",
             405: "Method not allowed", 413: "Request too large", 422: "Invalid request",
             500: "Internal error"}


def error_response(request: Request, status: int, detail: str | None = None) -> Response:
    """A JSON error for the API, a small HTML page otherwise; never a stack trace."""
    message = detail or _MESSAGES.get(status, "Error")
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if _is_api(request) or request.url.path.endswith((".atom", ".csv", ".json")):
        return JSONResponse({"error": message, "status": status}, status_code=status,
                            headers=headers)
    try:
        return render(request, "error.html", status=status, status_code=status, message=message)
    except Exception:  # the error page itself must not fail
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) else None
    return error_response(request, exc.status_code, detail)


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = [
        f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in ('query', 'path', 'body'))}: "
        f"{e.get('msg', 'invalid')}"
        for e in exc.errors()[:5]
    ]
    return error_response(request, 422, "invalid request: " + "; ".join(problems))


class CatchAll:
    """ASGI middleware: an unexpected exception becomes a generic 500 (logged with its traceback
    on the server); it is not re-raised, so the server keeps the connection usable."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("error serving %s", scope.get("path"))
            if started:  # too late for an error page; end the response
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            request = Request(scope)
            response = error_response(request, 500)
            await response(scope, receive, send)


class HeadAsGet:
    """ASGI middleware: answer ``HEAD`` as the same ``GET`` would, headers only (RFC 9110 9.3.2).

    FastAPI routes declared with ``GET`` would answer ``HEAD`` with 405. This runs the request as
    a ``GET`` (on a copy of the scope: the server still knows it was ``HEAD``) and drops the
    body, so routing, access rules, the response cache and the security headers all apply as
    for ``GET``; ``Content-Length`` stays that of the ``GET`` answer, as HTTP wants.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Any) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


# -- the app -----------------------------------------------------------------------------------
def create_app(db_path: str | Path, settings: WebSettings | None = None) -> FastAPI:
    """Build the web app over the store at ``db_path`` (created/migrated when needed)."""
    from . import api, apidocs, briefs, pages

    settings = settings or WebSettings()
    stores = StorePool(db_path)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(
        lifespan=lifespan,
        title="storyline",
        version=__version__,
        description="Storylines, events, articles, cited briefs, actors and relations.",
        docs_url=None,  # the Swagger/ReDoc pages load scripts from a CDN: /docs is ours
        redoc_url=None,  # (apidocs.py, rendered on the server from the same document)
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.settings = settings
    app.state.stores = stores
    app.state.templates = make_templates()
    app.state.fetch_lock = threading.Lock()
    app.state.fetch_status = {"running": False, "last": None}
    app.state.stores.get()  # open (and migrate) once now, so errors surface at start-up
    briefs.brief_renderer()  # import the brief renderers now, not on the first export

    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)

    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    apidocs.install(app, read_token_required=settings.read_token_required)
    app.mount("/static", StaticFiles(packages=[("storyline.web", "static")]), name="static")

    app.add_middleware(CatchAll)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.cache_seconds > 0 and not settings.read_token_required:
        app.add_middleware(ResponseCache, db_path=str(db_path), ttl=settings.cache_seconds)
    app.add_middleware(HeadAsGet)  # outside the cache: HEAD is served from cached GETs too
    app.add_middleware(SecurityHeaders)

    return app


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8000,
          settings: WebSettings | None = None, log_level: str = "info") -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(db_path, settings), host=host, port=port, log_level=log_level,
                server_header=False, proxy_headers=False)
