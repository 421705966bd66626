"""Lead-controlled text is shown as text: markup in messages and names never becomes DOM or runs."""
from playwright.sync_api import expect

import webhooks
from pages import row, sign_in

CONV, CONTACT = "conv-x1", "contact-x1"
PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b> still available?'
NAME = '<svg onload="window.__xss=3">'


def test_markup_is_text(server, new_page):
    server.webhook(webhooks.contact(CONTACT, first_name=NAME, last_name="<i>Lee</i>", assigned_to="agent-1", tags=["<u>vip</u>"]))
    server.webhook(webhooks.inbound_sms(CONV, CONTACT, PAYLOAD))

    for role, user in (("agent", "agent-1"), ("supervisor", "sup-1")):
        page = new_page(user)  # a CSP violation (blocked inline handler) would fail the test too
        sign_in(page, server, role, user)
        if role == "agent":
            page.get_by_test_id("tab-mine").click()
            r = row(page, "conv-row", CONV)
            expect(r.get_by_test_id("conv-preview")).to_contain_text("<img src=x")
            r.click()
            # the whole view: the name and tags are drawn in the lead panel, beside the thread
            thread = page.get_by_test_id("agent-view")
            expect(page.get_by_test_id("lead-name")).to_contain_text("<svg onload")
            expect(page.get_by_test_id("lead-tags")).to_contain_text("<u>vip</u>")
        else:
            r = row(page, "board-row", CONV)
            expect(r).to_contain_text("<svg onload")
            r.click()
            thread = page.get_by_test_id("watch")
        expect(thread.get_by_test_id("msg-text").first).to_contain_text('<script>window.__xss=2</script><b>bold</b>')
        assert thread.locator("img, script, b, i, u").count() == 0
        assert page.locator('svg[onload], img[onerror]').count() == 0
        assert page.evaluate("window.__xss") is None
