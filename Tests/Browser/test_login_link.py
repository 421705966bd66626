"""Sign-in with `livehub login-link`: one use, the ticket leaves the URL, sessions survive a reload."""
import json
import time
import urllib.parse

from playwright.sync_api import expect

from pages import sign_in


def ticket_of(link: str) -> str:
    frag = urllib.parse.urlparse(link).fragment
    assert frag.startswith("login="), link
    return urllib.parse.unquote(frag[len("login="):])


def test_link_signs_in_once(server, new_page):
    link = server.login_link("agent", "agent-1", "loc-1")
    assert link.startswith(server.url), link
    page = new_page("first")
    page.goto(link)
    expect(page.get_by_test_id("agent-view")).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_contain_text("agent-1")
    # the ticket never stays in the URL
    assert page.evaluate("location.hash") == ""
    assert "login=" not in page.url
    assert ticket_of(link) not in page.evaluate("location.href + history.state")
    session = json.loads(page.evaluate("sessionStorage.getItem('livehub.session')"))
    assert session["user"] == "agent-1" and session["role"] == "agent" and session["locationId"] == "loc-1"
    assert session["accessToken"] and session["expiresAt"] > time.time()
    expect(page.get_by_test_id("conn-badge")).to_have_attribute("data-state", "live")

    # a reload keeps the session (sessionStorage), no new ticket needed
    page.reload()
    expect(page.get_by_test_id("agent-view")).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_contain_text("agent-1")

    # the same link again: refused
    again = new_page("second")
    again.errors.allow(r"status of 409")
    again.goto(link)
    expect(again.get_by_test_id("signin-error")).to_contain_text("ticket_used")
    expect(again.get_by_test_id("agent-view")).to_have_count(0)
    assert again.evaluate("location.hash") == ""


def test_supervisor_link(server, new_page):
    page = new_page("supervisor")
    sign_in(page, server, "supervisor", "sup-1", "loc-1")
    expect(page.get_by_test_id("whoami")).to_contain_text("supervisor")
    expect(page.get_by_test_id("board")).to_be_visible()


def test_login_api(server):
    link = server.login_link("agent", "agent-7", "loc-1")
    ticket = ticket_of(link)
    r = server.post("/v1/login", {"ticket": ticket})
    assert r.status == 200, r
    s = r.json
    assert s["user"] == "agent-7" and s["role"] == "agent" and s["locations"] == ["loc-1"] and s["locationId"] == "loc-1"
    assert s["slaSeconds"] == 120
    assert s["expiresAt"] > time.time() + 60
    used = server.post("/v1/login", {"ticket": ticket})
    assert used.status == 409 and used.json["error"] == "ticket_used", used
    bad = server.post("/v1/login", {"ticket": "not-a-ticket"})
    assert bad.status == 401 and bad.json["error"] == "invalid_ticket", bad
    empty = server.post("/v1/login", b"{}")
    assert empty.status == 400 and empty.json["error"] == "invalid_body", empty
    garbage = server.post("/v1/login", b"not json")
    assert garbage.status == 400 and garbage.json["error"] == "invalid_body", garbage


def test_refresh(server):
    ticket = server.login_link("supervisor", "sup-2", "loc-1").split("#login=", 1)[1]
    signed_in = server.post("/v1/login", {"ticket": ticket})
    assert signed_in.status == 200, signed_in
    token = signed_in.json["accessToken"]
    # A token minted by `livehub token` is not a console session: it is never renewed.
    cli = server.post("/v1/token/refresh", token=server.token("supervisor", "sup-2", "loc-1"))
    assert cli.status == 401 and cli.json["error"] == "not_refreshable", cli
    r = server.post("/v1/token/refresh", token=token)
    assert r.status == 200, r
    s = r.json
    assert s["user"] == "sup-2" and s["role"] == "supervisor" and s["locations"] == ["loc-1"]
    # (Minted within the same second as the sign-in, the renewed token may equal it.)
    assert s["expiresAt"] >= signed_in.json["expiresAt"] and s["expiresAt"] > time.time()
    # the new token works
    assert server.get("/v1/conversations?location=loc-1&state=active&limit=500", token=s["accessToken"]).status == 200

    expired = server.mint_token("supervisor", "sup-2", ["loc-1"], exp=time.time() - 120)
    r = server.post("/v1/token/refresh", token=expired)
    assert r.status == 401 and r.json["error"] == "unauthorized", r
    assert server.post("/v1/token/refresh").status == 401
    assert server.post("/v1/token/refresh", token=expired[:-3] + "abc").status == 401


def test_expired_session_shows_banner(server, new_page):
    """A stored session whose token the server no longer accepts: the socket's upgrade fails,
    the page refreshes the token, the refresh is refused (401) → the session-expired banner."""
    page = new_page("expiring")
    page.errors.allow(r"status of 401", r"WebSocket connection .* failed")
    sign_in(page, server, "agent", "agent-3", "loc-1")
    expired = server.mint_token("agent", "agent-3", ["loc-1"], exp=time.time() - 60)
    page.evaluate("""tok => {
        const s = JSON.parse(sessionStorage.getItem('livehub.session'));
        s.accessToken = tok;   // expiresAt stays: the page believes the session is good
        sessionStorage.setItem('livehub.session', JSON.stringify(s));
    }""", expired)
    page.reload()
    expect(page.get_by_test_id("session-expired")).to_be_visible()
    expect(page.get_by_test_id("session-expired")).to_contain_text("expired")
