"""AI drafts: a draft from a (fake) Anthropic model streams into the agent's composer, stays there
for editing and goes to the lead only when the agent presses send."""
import pytest
from playwright.sync_api import expect

import webhooks
from conftest import stop_server
from llm_fake import FakeAnthropic, anthropic_text
from pages import row, sign_in, wait_until
from server import REPO, http

FIXTURE = REPO / "Fixtures" / "llm" / "anthropic-basic.sse"
API_KEY = "sk-ant-test-browser"
CONV, CONTACT = "conv-draft-1", "contact-draft-1"
TEXT = "Hi, is the Oak Ridge house still open for a showing this weekend?"


@pytest.fixture(scope="module")
def llm():
    fake = FakeAnthropic(FIXTURE).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def draft_server(start_server, llm):
    s = start_server(name="drafts", extra_env={
        "LIVEHUB_LLM_PROVIDER": "anthropic",
        "LIVEHUB_LLM_BASE_URL": llm.url,
        "LIVEHUB_LLM_API_KEY": API_KEY,
        "LIVEHUB_LLM_MODEL": "claude-test",
    })
    yield s
    stop_server(s)


def outbound(events):
    return [e for e in events if e["kind"] == "message.outbound"]


def test_draft_streams_into_the_composer(draft_server, llm, ghl, new_page):
    server = draft_server
    pieces = anthropic_text(FIXTURE.read_bytes())
    assert len(pieces) >= 2, pieces
    expected = "".join(pieces)

    # an admin turns drafts on for the location
    admin = server.token("admin", "admin-1", "loc-1")
    r = http("PATCH", server.url + "/v1/locations/loc-1/autoresponder", token=admin,
             body={"drafts": {"enabled": True, "model": None, "maxPerHour": 60, "autoForHotLeads": False}})
    assert r.status == 200, r
    assert r.json["drafts"]["enabled"] is True

    page = new_page("agent-draft")
    sign_in(page, server, "agent", "agent-d")
    expect(page.get_by_test_id("conn-badge")).to_have_attribute("data-state", "live")
    page.get_by_test_id("tab-mine").click()

    server.webhook(webhooks.contact(CONTACT, first_name="Dana", last_name="Draft", phone="+15555550111", assigned_to="agent-d"))
    server.webhook(webhooks.inbound_sms(CONV, CONTACT, TEXT))
    row(page, "conv-row", CONV).click()
    expect(page.get_by_test_id("thread")).to_have_attribute("data-conversation-id", CONV)
    expect(page.get_by_test_id("thread").locator('[data-testid="msg"][data-direction="inbound"]')).to_have_count(1)

    composer = page.get_by_test_id("composer-text")
    status = page.get_by_test_id("draft-status")
    button = page.get_by_test_id("draft-button")
    send = page.get_by_test_id("composer-send")
    expect(composer).to_have_value("")

    # the model's stream is held after its first text: the composer shows that much, still drafting
    llm.pause_after_first_text()
    try:
        button.click()
        expect(composer).to_have_value(pieces[0])
        expect(status).to_have_text("Drafting…")
        expect(button).to_be_disabled()
        # a half-draft is neither sendable nor editable: the guardrails judge the finished text
        expect(send).to_be_disabled()
        expect(composer).not_to_be_editable()
        composer.press("Control+Enter")
    finally:
        llm.resume()

    # the rest streams in; the finished draft stays in the composer for editing
    expect(status).to_have_text("Draft ready — edit it, then send")
    expect(composer).to_have_value(expected)
    expect(composer).to_be_editable()
    expect(button).to_be_enabled()
    expect(send).to_be_enabled()

    # the model was asked once, with the key and the lead's words
    asked = llm.recorded()
    assert len(asked) == 1, asked
    req = asked[0]
    assert req["path"] == "/v1/messages"
    assert req["headers"].get("x-api-key") == API_KEY
    assert req["headers"].get("anthropic-version") == "2023-06-01"
    body = req["body"]
    assert body["model"] == "claude-test" and body["stream"] is True, body
    assert any(TEXT in m["content"] for m in body["messages"]), body["messages"]
    assert not llm.other, llm.other

    # nothing went to the lead: no GHL send, no outbound message in the conversation
    sup = server.token("supervisor", "sup-d", "loc-1")
    page.wait_for_timeout(300)
    assert ghl.sends_for(contact_id=CONTACT) == []
    assert outbound(server.events(CONV, sup)) == []

    # the agent sends it: GHL gets exactly that text, once
    send.click()
    mine = page.get_by_test_id("thread").locator('[data-testid="msg"][data-direction="outbound"]')
    expect(mine).to_have_count(1)
    expect(mine).to_have_attribute("data-delivery", "sent")
    expect(mine.get_by_test_id("msg-text")).to_have_text(expected)
    expect(composer).to_have_value("")
    wait_until(page, lambda: ghl.sends_for(contact_id=CONTACT), message="GHL to receive the draft")
    page.wait_for_timeout(300)  # a duplicate would come right after
    sends = ghl.sends_for(contact_id=CONTACT)
    assert len(sends) == 1, sends
    assert sends[0]["body"]["message"] == expected.strip()
    assert sends[0]["body"]["type"] == "SMS"
    sent = outbound(server.events(CONV, sup))  # one reply (its queued and sent events share an outboxId)
    assert {e["data"].get("outboxId") for e in sent} != {None} and len({e["data"].get("outboxId") for e in sent}) == 1, sent
    assert {e["data"]["text"] for e in sent if "text" in e["data"]} == {expected.strip()}, sent
    assert len(llm.recorded()) == 1  # sending did not ask the model again
