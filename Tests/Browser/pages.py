"""Page-level helpers shared by the test modules: sign in, screenshots, reading the thread."""
import os
import shutil
from pathlib import Path

from playwright.sync_api import expect

from server import REPO, LiveHubServer

RESULTS = Path(__file__).resolve().parent / ".results"


def sign_in(page, server: LiveHubServer, role: str, user: str, location: str = "loc-1"):
    """Opens a fresh login link and waits for the role's view."""
    page.goto(server.login_link(role, user, location))
    view = "agent-view" if role == "agent" else "supervisor-view"
    expect(page.get_by_test_id(view)).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_contain_text(user)
    return page


def screenshot(page, name: str):
    """Saves Tests/Browser/.results/<name>.png; copies it to docs/ when LIVEHUB_SCREENSHOTS=1."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.png"
    page.screenshot(path=str(path))
    if os.environ.get("LIVEHUB_SCREENSHOTS") == "1":
        shutil.copyfile(path, REPO / "docs" / f"{name}.png")
    return path


def wait_until(page, condition, timeout: float = 10, message: str = "condition"):
    """Polls `condition()` (Python side, e.g. the fake GHL's records) while Playwright keeps
    dispatching events; returns its first truthy value or fails after `timeout` seconds."""
    import time
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        page.wait_for_timeout(100)


def row(page, testid: str, conversation_id: str):
    return page.locator(f'[data-testid="{testid}"][data-conversation-id="{conversation_id}"]')
