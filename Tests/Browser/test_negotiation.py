"""The deal panel: prices in a lead's text open a negotiation; the SVG chart shows each offer."""
from playwright.sync_api import expect

import webhooks
from pages import row, sign_in

CONV, CONTACT = "conv-n1", "contact-n1"


def test_offer_appears_on_the_chart(server, new_page):
    server.webhook(webhooks.contact(CONTACT, first_name="Noor", last_name="Buyer", assigned_to="agent-1"))
    server.webhook(webhooks.inbound_sms(CONV, CONTACT, "Hi, we loved 12 Oak Ridge Dr at the open house."))
    server.webhook(webhooks.opportunity("opp-n1", CONTACT, 430000))

    page = new_page("agent-1")
    sign_in(page, server, "agent", "agent-1")
    page.get_by_test_id("tab-mine").click()
    row(page, "conv-row", CONV).click()
    expect(page.get_by_test_id("thread")).to_have_attribute("data-conversation-id", CONV)

    server.webhook(webhooks.inbound_sms(CONV, CONTACT, "Would the seller take $405,000 for 12 Oak Ridge Dr? We are pre-approved."))
    panel = page.get_by_test_id("negotiation-panel")
    expect(panel).to_be_visible()
    chart = panel.get_by_test_id("negotiation-chart")
    expect(chart.locator("circle.offer.buyer")).to_have_count(1)
    expect(panel.get_by_test_id("negotiation-counter")).not_to_be_empty()
    expect(panel.get_by_test_id("negotiation-rationale")).not_to_be_empty()
    assert chart.evaluate("el => el.namespaceURI") == "http://www.w3.org/2000/svg"

    # a second, higher offer: one more buyer circle, live
    server.webhook(webhooks.inbound_sms(CONV, CONTACT, "OK, how about $415,000? That's our best."))
    expect(chart.locator("circle.offer.buyer")).to_have_count(2)
