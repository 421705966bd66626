"""Opening LiveHub inside GHL: the framed console asks its parent for the user context (SSO)."""
import base64
import json
import re

import pytest
from playwright.sync_api import expect

import sso
from conftest import stop_server
from ghl_parent import GHLParent


@pytest.fixture(scope="module")
def parent():
    p = GHLParent()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def other_parent():
    p = GHLParent()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def sso_server(start_server, parent):
    s = start_server(name="sso", extra_env={"LIVEHUB_FRAME_ANCESTORS": parent.origin})
    yield s
    stop_server(s)


def framed(new_page, parent, server, payload, name):
    page = new_page(name)
    page.goto(parent.url(server.url + "/", payload))
    return page, page.frame_locator("#console")


def console_frame(page, server):
    return next(f for f in page.frames if f.url.startswith(server.url))


def test_frame_ancestors_names_the_parent(sso_server, parent):
    csp = sso_server.get("/").headers["content-security-policy"]
    ancestors = re.search(r"frame-ancestors ([^;]*)", csp).group(1).split()
    assert parent.origin in ancestors, csp


def test_admin_signs_in_as_supervisor(sso_server, parent, new_page):
    ctx = sso.user_context("ghl-admin-1", "admin", "loc-2", user_name="Avery Admin")
    page, frame = framed(new_page, parent, sso_server, sso.encrypt_context(ctx, sso_server.sso_key), "admin")
    expect(frame.get_by_test_id("supervisor-view")).to_be_visible()
    expect(frame.get_by_test_id("whoami")).to_contain_text("Avery Admin")  # GHL's userName
    session = json.loads(console_frame(page, sso_server).evaluate("sessionStorage.getItem('livehub.session')"))
    assert session["user"] == "ghl-admin-1" and session["userName"] == "Avery Admin"
    assert session["role"] in ("supervisor", "admin")
    assert session["locationId"] == "loc-2" and session["locations"] == ["loc-2"]
    assert page.evaluate("window.userDataRequests") >= 1


def test_user_signs_in_as_agent(sso_server, parent, new_page):
    ctx = sso.user_context("ghl-user-1", "user", "loc-1", user_name="Uma User")
    page, frame = framed(new_page, parent, sso_server, sso.encrypt_context(ctx, sso_server.sso_key), "user")
    expect(frame.get_by_test_id("agent-view")).to_be_visible()
    expect(frame.get_by_test_id("whoami")).to_contain_text("Uma User")
    session = json.loads(console_frame(page, sso_server).evaluate("sessionStorage.getItem('livehub.session')"))
    assert session["user"] == "ghl-user-1" and session["role"] == "agent" and session["locationId"] == "loc-1" and session["locations"] == ["loc-1"]
    expect(frame.get_by_test_id("conn-badge")).to_have_attribute("data-state", "live")


@pytest.mark.parametrize("case, code, status", [
    ("wrong_secret", "sso_rejected", 401),
    ("tampered", "sso_rejected", 401),
    ("agency", "no_location", 403),
])
def test_rejected_context_shows_the_code(sso_server, parent, new_page, case, code, status):
    good = sso.user_context("ghl-user-2", "user", "loc-1")
    payload = {
        "wrong_secret": lambda: sso.encrypt_context(good, "not-the-shared-secret"),
        "tampered": lambda: sso.tamper(sso.encrypt_context(good, sso_server.sso_key)),
        "agency": lambda: sso.encrypt_context(sso.user_context("ghl-user-2", "user", None), sso_server.sso_key),
    }[case]()
    page, frame = framed(new_page, parent, sso_server, payload, case)
    page.errors.allow(rf"status of {status}")
    expect(frame.get_by_test_id("signin-error")).to_contain_text(code)
    expect(frame.get_by_test_id("agent-view")).to_have_count(0)
    expect(frame.get_by_test_id("supervisor-view")).to_have_count(0)
    # the server says the same
    r = sso_server.post("/v1/sso/ghl", {"payload": payload})
    assert r.status == status and r.json["error"] == code, r


def test_sso_api(sso_server):
    key = sso_server.sso_key
    ok = sso_server.post("/v1/sso/ghl", {"payload": sso.encrypt_context(sso.user_context("u-9", "user", "loc-1"), key)})
    assert ok.status == 200, ok
    assert ok.json["user"] == "u-9" and ok.json["role"] == "agent" and ok.json["locationId"] == "loc-1"
    admin = sso_server.post("/v1/sso/ghl", {"payload": sso.encrypt_context(sso.user_context("a-9", "admin", "loc-1"), key)})
    assert admin.status == 200 and admin.json["role"] in ("supervisor", "admin"), admin

    def refused(payload, status, code):
        r = sso_server.post("/v1/sso/ghl", {"payload": payload})
        assert r.status == status and r.json.get("error") == code, f"{payload[:40]!r}: {r}"

    refused(sso.encrypt_context(sso.user_context("u-9"), "wrong-secret"), 401, "sso_rejected")
    refused(sso.tamper(sso.encrypt_context(sso.user_context("u-9"), key)), 401, "sso_rejected")
    refused(sso.encrypt_context(sso.user_context("u-9", "admin", None), key), 403, "no_location")
    refused(sso.encrypt(b"not json at all", key), 401, "sso_rejected")
    refused(sso.encrypt(json.dumps({"role": "user", "activeLocation": "loc-1"}).encode(), key), 401, "sso_rejected")  # no userId
    refused("%%% not base64 %%%", 400, "invalid_payload")
    refused(base64.b64encode(b"Pickled_" + bytes(40)).decode(), 400, "invalid_payload")  # not Salted__
    refused(base64.b64encode(b"Salted__1234").decode(), 400, "invalid_payload")            # too short
    r = sso_server.post("/v1/sso/ghl", b"{}")
    assert r.status == 400, r


def test_unlisted_parent_cannot_frame(sso_server, other_parent, new_page):
    """frame-ancestors lists only the configured origins: another origin's frame is blocked."""
    ctx = sso.user_context("ghl-user-3", "user", "loc-1")
    page, frame = framed(new_page, other_parent, sso_server, sso.encrypt_context(ctx, sso_server.sso_key), "unlisted")
    page.errors.allow(r"frame-ancestors", r"Refused to (frame|display)")
    page.wait_for_event("console", predicate=lambda m: "frame-ancestors" in m.text, timeout=10_000) \
        if not any("frame-ancestors" in e for e in page.errors.errors) else None
    expect(frame.get_by_test_id("agent-view")).to_have_count(0)
    assert page.evaluate("window.userDataRequests") == 0


def test_parent_that_never_answers(sso_server, parent, new_page):
    """No REQUEST_USER_DATA_RESPONSE within 10 s: the page says GHL did not answer (clock fast-forwarded)."""
    page = new_page("silent-parent")
    page.clock.install()
    page.goto(parent.url(sso_server.url + "/", None))
    frame = page.frame_locator("#console")
    page.wait_for_function("() => window.userDataRequests >= 1")
    page.clock.fast_forward(11_000)
    expect(frame.get_by_test_id("signin-error")).to_contain_text("GHL did not answer")
    expect(frame.get_by_test_id("agent-view")).to_have_count(0)


def test_sso_not_configured(start_server):
    s = start_server(name="nosso", extra_env={"LIVEHUB_GHL_SSO_KEY": None})
    try:
        r = s.post("/v1/sso/ghl", {"payload": sso.encrypt_context(sso.user_context("u-1"), "any-secret")})
        assert r.status == 503 and r.json["error"] == "sso_not_configured", r
    finally:
        stop_server(s)
