"""Resuming after the WebSocket drops: every missed event arrives exactly once, in order."""
import pytest
from playwright.sync_api import expect

import webhooks
from network import SocketCutter
from pages import row, sign_in

CONV, CONTACT = "conv-r1", "contact-r1"


def test_resume_after_drop(server, new_page):
    token = server.token("supervisor", "sup-1", "loc-1")
    server.webhook(webhooks.contact(CONTACT, first_name="Robin", last_name="Resume", assigned_to="agent-1"))
    server.webhook(webhooks.inbound_sms(CONV, CONTACT, "Hello, is 7 Birch Lane still for sale?"))

    page = new_page("agent-1")
    cutter = SocketCutter(page)
    sign_in(page, server, "agent", "agent-1")
    page.get_by_test_id("tab-mine").click()
    row(page, "conv-row", CONV).click()
    thread = page.get_by_test_id("thread")
    msgs = thread.get_by_test_id("msg")
    expect(msgs).to_have_count(1)
    badge = page.get_by_test_id("conn-badge")
    expect(badge).to_have_attribute("data-state", "live")

    page.evaluate("window.__sameDocument = true")
    cutter.cut()
    expect(badge).not_to_have_attribute("data-state", "live")
    missed = [f"Resume check {i}: could we tour 4{i} Maple Ave on Sunday?" for i in range(5)]
    for text in missed:
        server.webhook(webhooks.inbound_sms(CONV, CONTACT, text))
    # a new conversation for this agent while the socket is down (location topic resumes too)
    server.webhook(webhooks.contact("contact-r2", first_name="Sasha", last_name="Offline", assigned_to="agent-1"))
    server.webhook(webhooks.inbound_sms("conv-r2", "contact-r2", "Sent while you were offline: any condos under 300k?"))
    cutter.restore()

    expect(badge).to_have_attribute("data-state", "live")
    for text in missed:
        expect(msgs.filter(has_text=text)).to_have_count(1)
    expect(msgs).to_have_count(6)
    seqs = [int(s) for s in msgs.evaluate_all("els => els.map(e => e.dataset.seq)")]
    assert len(set(seqs)) == len(seqs), seqs
    assert seqs == sorted(seqs), f"messages out of order: {seqs}"
    stored = [e["seq"] for e in server.events(CONV, token) if e["kind"] in ("message.inbound", "message.outbound")]
    assert seqs == stored, f"thread shows seqs {seqs}, the server stored messages at {stored}"
    expect(row(page, "conv-row", CONV).get_by_test_id("conv-preview")).to_contain_text("Resume check 4")
    expect(row(page, "conv-row", "conv-r2")).to_be_visible()
    expect(page.get_by_test_id("conn-banner")).to_be_hidden()
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded instead of resuming"


@pytest.mark.parametrize("browser_offline", [False, True], ids=["server_unreachable", "browser_offline"])
def test_banner_after_five_failures(server, new_page, browser_offline):
    """After 5 failed reconnects the page says it cannot reconnect, whether the server is
    unreachable or the browser knows it is offline; it recovers when it can. The page's clock
    is fast-forwarded through the reconnect backoff (0.5 s doubling to 10 s)."""
    page = new_page("agent-9")
    cutter = SocketCutter(page)
    page.clock.install()
    sign_in(page, server, "agent", "agent-9")
    badge, banner = page.get_by_test_id("conn-badge"), page.get_by_test_id("conn-banner")
    expect(badge).to_have_attribute("data-state", "live")
    cutter.cut(offline=browser_offline)
    for _ in range(30):
        if banner.is_visible():
            break
        page.clock.fast_forward(5_000)
        page.wait_for_timeout(100)  # the failed attempt's close event arrives
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("attempts")
    expect(badge).to_have_attribute("data-state", "offline")
    cutter.restore()
    for _ in range(30):
        if badge.get_attribute("data-state") == "live":
            break
        page.clock.fast_forward(5_000)
        page.wait_for_timeout(100)
    expect(badge).to_have_attribute("data-state", "live")
    expect(banner).to_be_hidden()
