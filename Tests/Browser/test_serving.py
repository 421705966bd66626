"""How the console is served: CSP, ETag/304, content types, 404s; the page loads with no CSP error."""
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from server import BINARY, REPO

WEB = REPO / "Sources" / "LiveHub" / "Console" / "Web"
TYPES = {".js": "javascript", ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml", ".png": "image/png"}


def csp_directives(header: str) -> dict:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_index_headers(server):
    r = server.get("/")
    assert r.status == 200
    assert "text/html" in r.headers["content-type"]
    csp = r.headers.get("content-security-policy")
    assert csp, "no Content-Security-Policy header on /"
    d = csp_directives(csp)
    assert d.get("script-src") == ["'self'"], csp
    assert d.get("default-src") == ["'none'"], csp
    assert "frame-ancestors" in d and d["frame-ancestors"], csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, csp
    assert r.headers.get("etag"), "no ETag on /"
    assert "no-cache" in (r.headers.get("cache-control") or ""), r.headers.get("cache-control")
    assert re.search(r'<script[^>]*type="module"[^>]*src="/console/app\.js"|<script[^>]*src="/console/app\.js"[^>]*type="module"', r.text), "index.html must load /console/app.js as a module"


def test_index_has_nothing_inline(server):
    html = server.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> in index.html"
    assert not re.search(r"\sstyle\s*=", html, re.I), "style attribute in index.html"
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), "inline event handler in index.html"
    assert "<style" not in html.lower(), "inline <style> in index.html"


def test_etag_revalidation(server):
    first = server.get("/")
    etag = first.headers["etag"]
    again = server.get("/", headers={"if-none-match": etag})
    assert again.status == 304, again
    assert again.body == b""
    js = server.get("/console/app.js")
    assert js.status == 200 and js.headers.get("etag")
    assert server.get("/console/app.js", headers={"if-none-match": js.headers["etag"]}).status == 304
    assert server.get("/", headers={"if-none-match": '"not-the-etag"'}).status == 200


def test_assets_content_types(server):
    js = server.get("/console/app.js")
    assert js.status == 200
    assert "javascript" in js.headers["content-type"], js.headers["content-type"]
    assert js.headers.get("content-security-policy"), "CSP header missing on /console/app.js"
    css = server.get("/console/console.css")
    assert css.status == 200 and "text/css" in css.headers["content-type"]


def test_every_file_is_served_as_is(server):
    """Every file the build shipped (the resource bundle next to the binary, read at start; or
    LIVEHUB_CONSOLE_DIR when set) is served byte for byte with its content type. Source files
    edited since the build are listed."""
    bundle = BINARY.parent / "LiveHub_LiveHub.resources" / "Web"
    override = os.environ.get("LIVEHUB_CONSOLE_DIR")
    root = Path(override) if override else (bundle if bundle.is_dir() else WEB)
    files = [p for p in root.rglob("*") if p.is_file()]
    if not files:
        pytest.skip(f"no front-end files under {root}")
    for p in files:
        rel = p.relative_to(root).as_posix()
        r = server.get("/" if rel == "index.html" else f"/console/{rel}")
        assert r.status == 200, f"{rel}: {r}"
        assert r.body == p.read_bytes(), f"{rel} is not served byte for byte"
        want = TYPES.get(p.suffix)
        if want:
            assert want in r.headers["content-type"], f"{rel}: {r.headers['content-type']}"
    if root == bundle:
        shipped = {p.relative_to(root).as_posix(): p.read_bytes() for p in files}
        drift = sorted(rel for rel, src in ((p.relative_to(WEB).as_posix(), p.read_bytes()) for p in WEB.rglob("*") if p.is_file())
                       if shipped.get(rel) != src)
        if drift:
            print(f"source files that differ from the build (rebuild to ship them): {drift}")


def test_unknown_assets_404(server):
    assert server.get("/console/no-such-file.js").status == 404
    assert server.get("/console/views/nope.js").status == 404
    for sneaky in ("/console/../Package.swift", "/console/%2e%2e/%2e%2e/%2e%2e/Package.swift", "/console/..%2f..%2fPackage.swift"):
        r = server.get(sneaky)
        assert r.status in (400, 404), f"{sneaky}: {r}"
        assert b"swift-tools-version" not in r.body


def test_page_loads_without_csp_errors(server, new_page):
    page = new_page("anonymous")
    page.goto(server.url + "/")
    expect(page.get_by_test_id("signin")).to_be_visible()
    expect(page.get_by_test_id("signin")).to_contain_text("login-link")
    # every module the page imports loaded (a failed import is an uncaught error, a CSP block a console error)
    assert page.evaluate("() => performance.getEntriesByType('resource').filter(e => e.name.includes('/console/')).length") >= 2
