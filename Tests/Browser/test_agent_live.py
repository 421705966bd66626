"""An agent's live flow: a lead texts, coaching appears, the agent edits a suggestion and sends it
through GHL, then dismisses a card."""
import re

from playwright.sync_api import expect

import webhooks
from pages import row, screenshot, sign_in, wait_until

CONV, CONTACT = "conv-1", "contact-1"
TEXT = "Hi! Is the house on Oak Ridge still available? Could we see it Saturday after 2?"


def test_agent_live_flow(server, ghl, new_page):
    sup_token = server.token("supervisor", "sup-1", "loc-1")
    page = new_page("agent-1")
    sign_in(page, server, "agent", "agent-1")
    badge = page.get_by_test_id("conn-badge")
    expect(badge).to_have_attribute("data-state", "live")
    page.get_by_test_id("tab-mine").click()

    # GHL: the contact (assigned to agent-1), then the lead's text
    server.webhook(webhooks.contact(CONTACT, first_name="Dana", last_name="Reyes", phone="+15555550100",
                                    tags=["buyer", "pre-approved"], assigned_to="agent-1"))
    server.webhook(webhooks.inbound_sms(CONV, CONTACT, TEXT))

    # the conversation appears in the list, live
    conv = row(page, "conv-row", CONV)
    expect(conv).to_be_visible()
    expect(conv.get_by_test_id("conv-name")).to_contain_text("Dana")
    expect(conv.get_by_test_id("conv-preview")).to_contain_text("Oak Ridge")
    expect(conv.get_by_test_id("conv-sla")).to_have_attribute("data-level", "ok")
    conv.click()
    expect(conv).to_have_attribute("aria-selected", "true")

    thread = page.get_by_test_id("thread")
    expect(thread).to_have_attribute("data-conversation-id", CONV)
    inbound = thread.locator('[data-testid="msg"][data-direction="inbound"]')
    expect(inbound).to_have_count(1)
    expect(inbound.get_by_test_id("msg-text")).to_contain_text("Could we see it Saturday after 2?")
    expect(inbound).to_have_attribute("data-channel", "SMS")
    expect(page.get_by_test_id("lead-name")).to_contain_text("Dana Reyes")
    expect(page.get_by_test_id("lead-tags")).to_contain_text("buyer")

    # coaching: cards and suggestions, as the server stored them
    cards = page.get_by_test_id("cards").get_by_test_id("card")
    expect(cards.first).to_be_visible()
    assert cards.count() <= 3
    suggestions = page.get_by_test_id("suggestions").get_by_test_id("suggestion")
    expect(suggestions.first).to_be_visible()
    events = server.events(CONV, sup_token)
    suggested = [e["data"]["text"] for e in events if e["kind"] == "reply.suggested"]
    card_seqs = {str(e["seq"]) for e in events if e["kind"] == "coaching.card"}
    assert suggested, f"the server suggested nothing: {[e['kind'] for e in events]}"
    expect(suggestions).to_have_count(min(3, len(suggested)))
    for c in cards.all():
        assert c.get_attribute("data-seq") in card_seqs

    # `1` takes the first suggestion into the composer; the agent edits it and sends
    composer = page.get_by_test_id("composer-text")
    page.keyboard.press("1")
    taken = composer.input_value()
    assert taken in suggested, f"composer has {taken!r}, suggestions {suggested}"
    expect(page.locator('[data-testid="suggestion"][data-index="1"]')).to_contain_text(taken[:20])
    edited = taken + " Talk soon, Sam"
    composer.fill(edited)
    ghl.delay = 1.0  # GHL answers after a second: the bubble is seen queued first
    try:
        page.get_by_test_id("composer-send").click()
        mine = thread.locator('[data-testid="msg"][data-direction="outbound"]').filter(has_text="Talk soon, Sam")
        expect(mine).to_have_attribute("data-delivery", "queued")
        expect(mine).to_have_attribute("data-delivery", "sent")
        expect(mine).to_have_count(1)  # one bubble per outboxId
    finally:
        ghl.delay = 0.0

    sends = wait_until(page, lambda: ghl.sends_for(contact_id=CONTACT), message="GHL to receive the reply")
    page.wait_for_timeout(300)  # a second (duplicate) send would come right after the first
    sends = ghl.sends_for(contact_id=CONTACT)
    assert len(sends) == 1, sends
    assert sends[0]["body"]["message"] == edited.strip()
    assert sends[0]["body"]["type"] == "SMS"
    assert sends[0]["headers"]["authorization"] == "Bearer pit-token"
    screenshot(page, "console-agent")

    # dismiss a card: it goes, and the conversation records card.dismissed
    first = cards.first
    seq = first.get_attribute("data-seq")
    first.get_by_test_id("card-dismiss").click()
    expect(page.locator(f'[data-testid="card"][data-seq="{seq}"]')).to_have_count(0)
    dismissed = wait_until(page, lambda: [e for e in server.events(CONV, sup_token) if e["kind"] == "card.dismissed"],
                           message="card.dismissed in the conversation's events")
    assert dismissed[0]["data"]["cardSeq"] == int(seq)
    assert dismissed[0]["data"]["by"] == "agent-1"

    # a reload shows the same thread, each message once, still without the dismissed card
    seqs_before = sorted(thread.get_by_test_id("msg").evaluate_all("els => els.map(e => e.dataset.seq)"))
    page.reload()
    expect(page.get_by_test_id("agent-view")).to_be_visible()
    if not page.get_by_test_id("thread").is_visible():
        row(page, "conv-row", CONV).click()
    expect(page.get_by_test_id("thread").get_by_test_id("msg")).to_have_count(len(seqs_before))
    assert sorted(page.get_by_test_id("thread").get_by_test_id("msg").evaluate_all("els => els.map(e => e.dataset.seq)")) == seqs_before
    expect(page.locator(f'[data-testid="card"][data-seq="{seq}"]')).to_have_count(0)


def test_keyboard(server, new_page):
    for conv, contact, text in (("conv-k1", "contact-k1", "Is 14 Elm St still on the market?"),
                                ("conv-k2", "contact-k2", "What is the HOA fee at 9 Pine Ct?")):
        server.webhook(webhooks.contact(contact, first_name="Kay", last_name=contact, assigned_to="agent-2"))
        server.webhook(webhooks.inbound_sms(conv, contact, text))
    page = new_page("agent-2")
    sign_in(page, server, "agent", "agent-2")
    page.get_by_test_id("tab-mine").click()
    expect(page.get_by_test_id("conv-row")).to_have_count(2)
    page.keyboard.press("j")
    expect(page.locator('[data-testid="conv-row"][aria-selected="true"]')).to_have_count(1)
    first = page.locator('[data-testid="conv-row"][aria-selected="true"]').get_attribute("data-conversation-id")
    page.keyboard.press("j")
    expect(page.locator('[data-testid="conv-row"][aria-selected="true"]')).not_to_have_attribute("data-conversation-id", first)
    page.keyboard.press("k")
    expect(page.locator('[data-testid="conv-row"][aria-selected="true"]')).to_have_attribute("data-conversation-id", first)
    expect(page.get_by_test_id("thread")).to_have_attribute("data-conversation-id", first)
    page.keyboard.press("r")
    expect(page.get_by_test_id("composer-text")).to_be_focused()
    page.keyboard.type("jk")  # typing in the composer is not navigation
    expect(page.get_by_test_id("composer-text")).to_have_value("jk")
    expect(page.locator('[data-testid="conv-row"][aria-selected="true"]')).to_have_attribute("data-conversation-id", first)
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("composer-text")).not_to_be_focused()


def test_draft_without_a_model(server, new_page):
    """No language model configured: asking for a draft says why and leaves the playbook replies."""
    server.webhook(webhooks.contact("contact-d1", first_name="Drew", last_name="Draft", assigned_to="agent-4"))
    server.webhook(webhooks.inbound_sms("conv-d1", "contact-d1", "Can we see the Oak Ridge house Saturday after 2?"))
    page = new_page("agent-4")
    sign_in(page, server, "agent", "agent-4")
    page.get_by_test_id("tab-mine").click()
    row(page, "conv-row", "conv-d1").click()
    expect(page.get_by_test_id("suggestion").first).to_be_visible()
    page.get_by_test_id("draft-button").click()
    # The server's answer, not the "Drafting…" the click shows at once: refused or failed, with why.
    expect(page.get_by_test_id("draft-status")).to_have_text(re.compile(r"^Draft (failed|refused): \S"))
    expect(page.get_by_test_id("draft-button")).to_be_enabled()
    expect(page.get_by_test_id("composer-text")).to_have_value("")  # nothing is put in as if drafted
    expect(page.get_by_test_id("suggestion").first).to_be_visible()
