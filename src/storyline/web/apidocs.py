"""The API reference at ``/docs``: the app's own OpenAPI document, rendered on the server.

FastAPI's Swagger UI and ReDoc pages load their scripts from a CDN, which the site's
Content-Security-Policy (``script-src 'self'``) and offline use both rule out, so they are off
(``docs_url=None``, ``redoc_url=None``). Instead :func:`reference` turns the document served at
``/api/v1/openapi.json`` into plain data — groups by tag, operations with their parameters,
request body, responses and whether they need a token — and ``apidocs.html`` renders it through
autoescaped Jinja, with no script at all.

:func:`install` also completes the document itself: a bearer-token security scheme on the
operations that need one (found from each route's dependencies, so it cannot drift from the
code), the real error body (``{"error", "status"}``) instead of FastAPI's validation-error
shape, and the media types of the Atom feeds and ``.{fmt}`` exports.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from .app import render

router = APIRouter(include_in_schema=False)

TOKEN_SCHEME = "apiToken"
METHODS = ("get", "head", "post", "put", "patch", "delete", "options")
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error", "status"],
    "properties": {
        "error": {"type": "string", "description": "What went wrong, in words"},
        "status": {"type": "integer", "description": "The HTTP status code"},
    },
}
#: Media types of the ``{fmt}`` path parameter's values.
FORMAT_TYPES = {"json": "application/json", "md": "text/markdown", "html": "text/html",
                "csv": "text/csv", "atom": "application/atom+xml"}


@router.get("/docs")
def docs_page(request: Request) -> Response:
    """The API reference, rendered from the OpenAPI document."""
    app: FastAPI = request.app
    return render(request, "apidocs.html", ref=reference(app.openapi()),
                  openapi_url=app.openapi_url)


# -- completing the document -----------------------------------------------------------------------
def install(app: FastAPI, *, read_token_required: bool = False) -> None:
    """Serve ``/docs`` and make ``app.openapi()`` return the completed document."""
    app.include_router(router)
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            complete(schema, token_operations(app, read_token_required))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _dependency_calls(dependant: Any) -> set[Any]:
    calls = set()
    for dep in dependant.dependencies:
        if dep.call is not None:
            calls.add(dep.call)
        calls |= _dependency_calls(dep)
    return calls


def _routes(app: FastAPI) -> list[Any]:
    """Every route with its full path; FastAPI 0.16x keeps included routers as branches
    (``iter_route_contexts`` flattens them), older versions list the routes themselves."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: app.routes is already flat
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def token_operations(app: FastAPI, read_token_required: bool) -> set[tuple[str, str]]:
    """(path, method) of every operation that needs an API token on this server, from the
    access dependencies of its route (``api.write_access``; ``api.read_access`` when reads
    need a token too)."""
    from . import api

    needs = {api.write_access}
    if read_token_required:
        needs.add(api.read_access)
    found = set()
    for route in _routes(app):
        dependant = getattr(route, "dependant", None)
        if dependant is not None and _dependency_calls(dependant) & needs:
            found |= {(route.path_format, m.lower()) for m in route.methods or ()}
    return found


def complete(schema: dict[str, Any], token_ops: set[tuple[str, str]]) -> None:
    """Add the token scheme, the real error body and feed/export media types (in place)."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    if token_ops:
        components.setdefault("securitySchemes", {})[TOKEN_SCHEME] = {
            "type": "http", "scheme": "bearer",
            "description": "An API token from `storyline token create`, sent as "
                           "`Authorization: Bearer sl_…`.",
        }
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            responses = op.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {"description": "Invalid request", "content": error}
            if (path, method) in token_ops:
                op["security"] = [{TOKEN_SCHEME: []}]
                responses.setdefault("401", {"description": "No valid API token",
                                             "content": error})
            ok = next((code for code in responses if code.startswith("2")), None)
            types = _media_types(path, op)
            if ok and types:
                responses[ok]["content"] = {t: {} for t in types}
    for name in ("HTTPValidationError", "ValidationError"):  # unused once 422 is ours
        if f'"#/components/schemas/{name}"' not in json.dumps(schema):
            schemas.pop(name, None)


def _media_types(path: str, op: dict[str, Any]) -> list[str]:
    if path.endswith(".atom"):
        return [FORMAT_TYPES["atom"]]
    if path.endswith(".{fmt}"):
        for param in op.get("parameters", []):
            if param.get("name") == "fmt":
                values = (param.get("schema") or {}).get("enum") or []
                return [FORMAT_TYPES.get(v, "application/octet-stream") for v in values]
    return []


# -- the document as plain data for the template ---------------------------------------------------
def reference(schema: dict[str, Any]) -> dict[str, Any]:
    """Groups (by first tag, else by the path's first segment) of operations, ready to render."""
    schema = copy.deepcopy(schema)
    components = (schema.get("components") or {}).get("schemas") or {}
    tag_info = {t.get("name"): t.get("description") for t in schema.get("tags") or []}
    groups: dict[str, dict[str, Any]] = {}
    count = 0
    for path, item in (schema.get("paths") or {}).items():
        shared = item.get("parameters") or []
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            count += 1
            tags = op.get("tags") or [_prefix(path)]
            name = str(tags[0])
            group = groups.setdefault(name, {
                "name": name, "anchor": "tag-" + _slug(name),
                "description": text_runs(tag_info.get(name)), "operations": [],
            })
            group["operations"].append(_operation(path, method, op, shared, components))
    info = schema.get("info") or {}
    return {
        "title": info.get("title") or "API",
        "version": info.get("version") or "",
        "description": text_runs(info.get("description")),
        "openapi": schema.get("openapi") or "",
        "groups": list(groups.values()),
        "count": count,
    }


def _operation(path: str, method: str, op: dict[str, Any], shared: list[dict[str, Any]],
               components: dict[str, Any]) -> dict[str, Any]:
    params = {(p.get("name"), p.get("in")): p for p in [*shared, *(op.get("parameters") or [])]}
    parameters = [_parameter(_resolve(p, components), components) for p in params.values()]
    needs_token = bool(op.get("security"))
    simple_get = (method == "get" and "{" not in path and not needs_token
                  and not any(p["required"] for p in parameters))
    return {
        "method": method.upper(),
        "path": path,
        "anchor": "op-" + _slug(op.get("operationId") or f"{method}-{path}"),
        "summary": op.get("summary") or "",
        "description": text_runs(op.get("description")),
        "parameters": parameters,
        "body": _body(op.get("requestBody"), components),
        "responses": [
            {"status": str(code), "description": text_runs(_resolve(r, components)
                                                           .get("description")),
             "media_types": list((_resolve(r, components).get("content") or {}).keys())}
            for code, r in sorted((op.get("responses") or {}).items(), key=lambda kv: str(kv[0]))
        ],
        "token": needs_token,
        "deprecated": bool(op.get("deprecated")),
        "try_href": path if simple_get else None,
    }


def _parameter(p: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    schema = _resolve(p.get("schema") or {}, components)
    return {
        "name": str(p.get("name", "")),
        "in": str(p.get("in", "")),
        "type": type_name(schema, components),
        "required": bool(p.get("required")),
        "description": text_runs(p.get("description") or schema.get("description")),
        "default": _default(schema),
        "constraints": constraints(schema, components),
    }


def _body(body: dict[str, Any] | None, components: dict[str, Any]) -> dict[str, Any] | None:
    if not body:
        return None
    out: dict[str, Any] = {"required": bool(body.get("required")),
                           "description": text_runs(body.get("description")),
                           "media_types": [], "fields": [], "type": ""}
    for media_type, content in (body.get("content") or {}).items():
        out["media_types"].append(media_type)
        schema = content.get("schema") or {}
        if out["type"]:
            continue
        out["type"] = type_name(schema, components)
        resolved = _resolve(schema, components)
        required = set(resolved.get("required") or [])
        for name, prop in (resolved.get("properties") or {}).items():
            prop = _resolve(prop, components)
            out["fields"].append({
                "name": name, "type": type_name(prop, components),
                "required": name in required,
                "description": text_runs(prop.get("description")),
                "default": _default(prop), "constraints": constraints(prop, components),
            })
    return out


def _resolve(obj: dict[str, Any], components: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """Follow a local ``$ref`` to ``#/components/schemas/…`` (others are left as they are)."""
    ref = obj.get("$ref") if isinstance(obj, dict) else None
    if not isinstance(ref, str) or depth > 10:
        return obj if isinstance(obj, dict) else {}
    name = ref.rsplit("/", 1)[-1]
    target = components.get(name) if ref.startswith("#/components/schemas/") else None
    return _resolve(target, components, depth + 1) if isinstance(target, dict) else obj


def _branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives of an ``anyOf``/``oneOf``, or the schema itself."""
    alts = schema.get("anyOf") or schema.get("oneOf")
    return [a for a in alts if isinstance(a, dict)] if isinstance(alts, list) else [schema]


def type_name(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> str:
    """A short, readable type: ``integer``, ``string (date)``, ``array of string``,
    ``string or null``, or a component's name."""
    if not isinstance(schema, dict) or depth > 5:
        return "any"
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[-1]
    alts = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(alts, list) and alts:
        names = []
        for alt in alts:
            name = type_name(alt, components, depth + 1)
            if name not in names:
                names.append(name)
        return " or ".join(sorted(names, key=lambda n: n == "null"))
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    if kind == "array":
        return "array of " + type_name(schema.get("items") or {}, components, depth + 1)
    if kind is None:
        return "string" if "enum" in schema else "any"
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _bounds(low: Any, high: Any, unit: str) -> list[str]:
    """"1 to 200", "at least 0", "at most 500 characters" (nothing when neither is set)."""
    if low is not None and high is not None:
        return [f"{_num(low)} to {_num(high)}{unit}"]
    if low is not None:
        return [f"at least {_num(low)}{unit}"]
    if high is not None:
        return [f"at most {_num(high)}{unit}"]
    return []


def constraints(schema: dict[str, Any], components: dict[str, Any]) -> list[str]:
    """Limits on a value in words: range, length, allowed values, pattern."""
    out: list[str] = []
    for branch in _branches(_resolve(schema, components)):
        branch = _resolve(branch, components)
        out += _bounds(branch.get("minimum"), branch.get("maximum"), "")
        for key, word in (("exclusiveMinimum", "over"), ("exclusiveMaximum", "under")):
            if isinstance(branch.get(key), (int, float)) and not isinstance(branch[key], bool):
                out.append(f"{word} {_num(branch[key])}")
        out += _bounds(branch.get("minLength"), branch.get("maxLength"), " characters")
        if isinstance(branch.get("enum"), list):
            out.append("one of: " + ", ".join(_value(v) for v in branch["enum"]))
        if isinstance(branch.get("pattern"), str):
            out.append("matches " + branch["pattern"])
    return out


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _default(schema: dict[str, Any]) -> str | None:
    if not isinstance(schema, dict) or "default" not in schema:
        return None
    return json.dumps(schema["default"], ensure_ascii=False)


_CODE = re.compile(r"``(.+?)``|`([^`\n]+)`", re.S)


def text_runs(text: Any) -> list[list[tuple[bool, str]]]:
    """Paragraphs of (is_code, text) runs: a docstring's ``code`` and `code` become code runs;
    the template escapes each run, so no markup from the document reaches the page."""
    if not isinstance(text, str) or not text.strip():
        return []
    paragraphs = []
    for para in re.split(r"\n\s*\n", text.strip()):
        runs: list[tuple[bool, str]] = []
        pos = 0
        for m in _CODE.finditer(para):
            if m.start() > pos:
                runs.append((False, para[pos:m.start()]))
            runs.append((True, m.group(1) or m.group(2)))
            pos = m.end()
        if pos < len(para):
            runs.append((False, para[pos:]))
        paragraphs.append(runs)
    return paragraphs


def _prefix(path: str) -> str:
    parts = [p for p in path.split("/") if p and not p.startswith("{")]
    if parts[:2] == ["api", "v1"]:
        parts = parts[2:]
    return parts[0].split(".")[0] if parts else "other"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
