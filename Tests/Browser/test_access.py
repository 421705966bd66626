"""What an agent may open: only conversations of their locations assigned to them (or unassigned).
The page shows `thread-error`; the server refuses over HTTP and WebSocket."""
import pytest
from playwright.sync_api import expect

import webhooks
from pages import row, sign_in
from ws_client import WSClient

CONVS = {
    # conversation: (contact, location, assigned agent)
    "conv-a1": ("contact-a1", "loc-1", "agent-1"),
    "conv-a2": ("contact-a2", "loc-1", "agent-2"),
    "conv-b1": ("contact-b1", "loc-2", "agent-1"),
    "conv-u1": ("contact-u1", "loc-1", None),
}


@pytest.fixture(scope="module")
def conversations(server):
    for conv, (contact, loc, agent) in CONVS.items():
        server.webhook(webhooks.contact(contact, location_id=loc, first_name="Casey", last_name=conv, assigned_to=agent))
        server.webhook(webhooks.inbound_sms(conv, contact, f"Question about {conv}: is it still listed?", location_id=loc))
    return CONVS


def test_page_refuses_others_conversations(server, conversations, new_page):
    page = new_page("agent-1")
    page.errors.allow(r"status of 403", r"status of 404")
    sign_in(page, server, "agent", "agent-1")
    page.get_by_test_id("tab-mine").click()
    expect(row(page, "conv-row", "conv-a1")).to_be_visible()
    expect(row(page, "conv-row", "conv-a2")).to_have_count(0)
    expect(row(page, "conv-row", "conv-b1")).to_have_count(0)
    page.get_by_test_id("tab-unassigned").click()
    expect(row(page, "conv-row", "conv-u1")).to_be_visible()

    for other in ("conv-a2", "conv-b1"):
        page.goto(f"{server.url}/#/c/{other}")
        expect(page.get_by_test_id("thread-error")).to_be_visible()
        expect(page.get_by_test_id("thread-error")).to_contain_text("cannot open")
        expect(page.get_by_test_id("msg")).to_have_count(0)
        expect(page.get_by_text(f"Question about {other}")).to_have_count(0)

    page.goto(f"{server.url}/#/c/conv-a1")
    expect(page.get_by_test_id("thread")).to_have_attribute("data-conversation-id", "conv-a1")
    expect(page.get_by_test_id("thread-error")).to_be_hidden()
    expect(page.get_by_test_id("msg")).to_have_count(1)


def test_http_refuses(server, conversations):
    agent = server.token("agent", "agent-1", "loc-1")
    assert server.get("/v1/conversations/conv-a1", token=agent).status == 200
    assert server.get("/v1/conversations/conv-u1", token=agent).status == 200
    for other in ("conv-a2", "conv-b1"):
        r = server.get(f"/v1/conversations/{other}", token=agent)
        assert r.status == 403 and r.json["error"] == "forbidden", f"{other}: {r}"
        r = server.get(f"/v1/conversations/{other}/events?after=0&limit=1000", token=agent)
        assert r.status == 403, f"{other} events: {r}"
    assert server.get("/v1/conversations/conv-nope", token=agent).status in (403, 404)
    listed = server.get("/v1/conversations?location=loc-1&state=active&limit=500", token=agent)
    assert listed.status == 200
    ids = {c["conversationId"] for c in listed.json["conversations"]}
    assert "conv-a1" in ids and "conv-a2" not in ids and "conv-b1" not in ids, ids
    assert server.get("/v1/locations/loc-1/stats", token=agent).status == 403
    assert server.get("/v1/conversations/conv-a1").status == 401


def test_websocket_refuses(server, conversations):
    ws = WSClient(server.url, server.token("agent", "agent-1", "loc-1"))
    try:
        hello = ws.wait_for(lambda f: f.get("type") == "hello")
        assert hello["user"] == "agent-1" and hello["role"] == "agent"
        for topic in ("conversation:conv-a2", "conversation:conv-b1", "location:loc-2", "agent:agent-2"):
            ws.send({"op": "subscribe", "topic": topic})
            err = ws.wait_for(lambda f: f.get("type") in ("error", "subscribed"))
            assert err["type"] == "error" and err["code"] == "forbidden" and err.get("op") == "subscribe", f"{topic}: {err}"
        ws.send({"op": "reply.send", "conversationId": "conv-a2", "text": "hi"})
        err = ws.wait_for(lambda f: f.get("type") == "error")
        assert err["code"] == "forbidden", err
        ws.send({"op": "card.dismiss", "conversationId": "conv-a2", "seq": 1})
        err = ws.wait_for(lambda f: f.get("type") == "error")
        assert err["code"] == "forbidden", err

        # agents may follow their location: only the summaries they may read
        ws.send({"op": "subscribe", "topic": "location:loc-1"})
        ws.seen = []
        sub = ws.wait_for(lambda f: f.get("type") in ("subscribed", "error") and f.get("topic", "location:loc-1") == "location:loc-1")
        assert sub["type"] == "subscribed", sub
        ws.send({"op": "ping"})  # the replay is queued before the answer to the next op
        ws.wait_for(lambda f: f.get("type") == "pong")
        summaries = {f["data"]["conversationId"] for f in ws.seen if f.get("kind") == "conversation.summary"}
        assert "conv-a1" in summaries and "conv-u1" in summaries, summaries
        assert "conv-a2" not in summaries and "conv-b1" not in summaries, summaries

        ws.send({"op": "subscribe", "topic": "conversation:conv-a1", "since": 0})
        ok = ws.wait_for(lambda f: f.get("type") in ("subscribed", "error") and f.get("topic") == "conversation:conv-a1")
        assert ok["type"] == "subscribed", ok
    finally:
        ws.close()
