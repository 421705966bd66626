"""A supervisor watching the board: live updates, whisper, takeover/release, mode, alerts."""
from playwright.sync_api import expect

import webhooks
from pages import row, screenshot, sign_in, wait_until


def lead_texts(server, conv, contact, text, agent, first_name="Lee"):
    server.webhook(webhooks.contact(contact, first_name=first_name, last_name=conv, phone="+15555550123", assigned_to=agent))
    server.webhook(webhooks.inbound_sms(conv, contact, text))


def test_supervisor_controls(server, new_page):
    sup = new_page("sup-1")
    sign_in(sup, server, "supervisor", "sup-1")
    agent = new_page("agent-1")
    sign_in(agent, server, "agent", "agent-1")
    agent.get_by_test_id("tab-mine").click()

    # the board updates when GHL delivers a message
    lead_texts(server, "conv-s1", "contact-s1", "Can we see 12 Oak Ridge on Saturday morning?", "agent-1", "Morgan")
    board_row = row(sup, "board-row", "conv-s1")
    expect(board_row).to_be_visible()
    expect(board_row).to_contain_text("Morgan")
    for stat in ("stat-active", "stat-waiting", "stat-longest-wait", "stat-sla", "stat-agents"):
        expect(sup.get_by_test_id(stat)).to_be_visible()
    expect(sup.get_by_test_id("stat-online")).to_have_text("1")  # agent-1 is connected

    # the agent opens it and types (not sent)
    row(agent, "conv-row", "conv-s1").click()
    expect(agent.get_by_test_id("thread")).to_have_attribute("data-conversation-id", "conv-s1")
    agent.get_by_test_id("composer-text").fill("Saturday at 10 works for me")
    send = agent.get_by_test_id("composer-send")
    expect(send).to_be_enabled()

    # the supervisor opens the watch pane (read-only)
    board_row.click()
    watch = sup.get_by_test_id("watch")
    expect(watch).to_be_visible()
    expect(watch.get_by_test_id("msg").first).to_contain_text("Oak Ridge")
    expect(watch.get_by_test_id("composer-send")).to_have_count(0)
    # both see who has it open
    expect(row(agent, "conv-row", "conv-s1").get_by_test_id("conv-viewers")).to_contain_text("sup-1")

    # mode: the agent's list shows it (before anyone acts: auto is not paused yet)
    ai = row(agent, "conv-row", "conv-s1").get_by_test_id("conv-ai")
    watch.get_by_test_id("watch-mode").select_option("auto")
    expect(ai).to_contain_text("auto")
    watch.get_by_test_id("watch-mode").select_option("off")
    expect(ai).to_contain_text("off")
    expect(agent.get_by_test_id("thread").get_by_test_id("sysline").filter(has_text="AI mode set to off")).not_to_have_count(0)

    # whisper: only the agent sees it, set apart
    watch.get_by_test_id("whisper-text").fill("Offer Saturday 10am and mention the open house")
    watch.get_by_test_id("watch-whisper").click()
    expect(agent.get_by_test_id("whisper")).to_contain_text("Offer Saturday 10am")

    # takeover: the agent's floor names the supervisor and sending is disabled
    watch.get_by_test_id("watch-takeover").click()
    expect(agent.get_by_test_id("composer-floor")).to_contain_text("sup-1")
    expect(send).to_be_disabled()
    expect(row(agent, "conv-row", "conv-s1").get_by_test_id("conv-ai")).to_contain_text("sup-1")

    # release: enabled again
    watch.get_by_test_id("watch-release").click()
    expect(agent.get_by_test_id("composer-floor")).not_to_contain_text("sup-1")
    expect(send).to_be_enabled()


    # the events the controls stored
    token = server.token("supervisor", "sup-1", "loc-1")
    kinds = [(e["kind"], e["data"]) for e in server.events("conv-s1", token)]
    assert ("whisper", {"from": "sup-1", "to": "agent-1", "text": "Offer Saturday 10am and mention the open house"}) in [
        (k, {x: d.get(x) for x in ("from", "to", "text")}) for k, d in kinds if k == "whisper"]
    reasons = [d.get("reason") for k, d in kinds if k == "assignment.changed"]
    assert "takeover" in reasons and "release" in reasons, kinds
    assert [d.get("mode") for k, d in kinds if k == "mode.changed"][-2:] == ["auto", "off"]


def test_alerts_and_ack(server, new_page):
    sup = new_page("sup-2")
    sign_in(sup, server, "supervisor", "sup-2")
    lead_texts(server, "conv-s2", "contact-s2", "is this a bot? I want a real person", "agent-2")
    lead_texts(server, "conv-s3", "contact-s3", "I'm going to sue you", "agent-2")

    human = sup.locator('[data-testid="alert"][data-conversation-id="conv-s2"][data-reason="human_requested"]')
    legal = sup.locator('[data-testid="alert"][data-conversation-id="conv-s3"][data-reason="legal_threat"]')
    expect(human).to_be_visible()
    expect(legal).to_be_visible()
    expect(human).to_have_attribute("data-acked", "false")
    expect(row(sup, "board-row", "conv-s2")).to_have_attribute("data-attention", "human_requested")
    expect(row(sup, "board-row", "conv-s3")).to_have_attribute("data-attention", "legal_threat")
    # attention first: both are above a calm conversation
    lead_texts(server, "conv-s4", "contact-s4", "Thanks, talk next week about the listing.", "agent-2")
    expect(row(sup, "board-row", "conv-s4")).to_be_visible()
    order = sup.get_by_test_id("board-row").evaluate_all("els => els.map(e => e.dataset.conversationId)")
    assert order.index("conv-s2") < order.index("conv-s4") and order.index("conv-s3") < order.index("conv-s4"), order
    assert order.index("conv-s2") < order.index("conv-s3"), order  # human_requested ranks above legal_threat

    seq = human.get_attribute("data-seq")
    human.get_by_test_id("alert-ack").click()
    expect(human).to_have_attribute("data-acked", "true")
    expect(row(sup, "board-row", "conv-s2")).not_to_have_attribute("data-attention", "human_requested")
    expect(legal).to_have_attribute("data-acked", "false")

    # the screenshot: a board with attention, the alerts feed, and a watched conversation
    row(sup, "board-row", "conv-s3").click()
    expect(sup.get_by_test_id("watch").get_by_test_id("msg").first).to_contain_text("sue")
    screenshot(sup, "console-supervisor")

    token = server.token("supervisor", "sup-2", "loc-1")
    acks = wait_until(sup, lambda: [e for e in server.events("conv-s2", token) if e["kind"] == "alert.acknowledged"],
                      message="alert.acknowledged in conv-s2's events")
    assert acks[0]["data"]["alertSeq"] == int(seq) and acks[0]["data"]["by"] == "sup-2"
    assert acks[0]["data"]["reason"] == "human_requested"
