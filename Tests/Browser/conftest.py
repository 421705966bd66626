"""Fixtures of the console's browser tests: fake GHL, webhook signer, `livehub serve`, Chromium pages.

Run with `Tests/Browser/run` (it makes the venv and checks for Chromium and the debug build).
"""
import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

if not (os.environ.get("XDG_CONFIG_HOME") and os.environ.get("XDG_CACHE_HOME")):
    # Chromium writes under ~ otherwise (`run` sets these; this covers a bare `pytest`).
    _tmp_home = Path(tempfile.mkdtemp(prefix="livehub-browser-home-"))
    atexit.register(shutil.rmtree, _tmp_home, True)
    os.environ.setdefault("XDG_CONFIG_HOME", str(_tmp_home / "config"))
    os.environ.setdefault("XDG_CACHE_HOME", str(_tmp_home / "cache"))

from ghl_fake import FakeGHL  # noqa: E402
from server import BINARY, REPO, LiveHubServer, make_workdir  # noqa: E402
from webhooks import Signer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
RESULTS = Path(__file__).resolve().parent / ".results"
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

_running_servers: list[LiveHubServer] = []
_any_failure = [False]  # server work dirs (data, logs) are kept when anything failed
_summary_lines: list[str] = []


def report_line(line: str):
    """A line printed in the terminal summary (e.g. the board benchmark's figures)."""
    print(line)
    _summary_lines.append(line)


def pytest_terminal_summary(terminalreporter):
    for line in _summary_lines:
        terminalreporter.write_line(line)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
    if rep.failed:
        _any_failure[0] = True
        for s in _running_servers:
            rep.sections.append((f"{s.name} log (last lines, {s.log_path})", s.log_tail(40)))


def pytest_sessionstart(session):
    if not Path(CHROMIUM).exists():
        raise pytest.UsageError("install chromium: apt-get install -y chromium")
    if not BINARY.exists():
        raise pytest.UsageError(f"{BINARY} is missing: run swift build first")


# --- pytest-playwright: Debian's Chromium, 1280×800

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


@pytest.fixture(autouse=True)
def _same_order(browser_name):
    """Every test takes pytest-playwright's `browser_name` parameter, so pytest keeps the files'
    order instead of moving the browser tests first (which would restart module servers)."""


# --- fakes

@pytest.fixture(scope="session")
def ghl():
    fake = FakeGHL().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def signer(tmp_path_factory):
    return Signer(tmp_path_factory.mktemp("keys") / "ghl-webhook-ed25519.pem")


# --- servers

@pytest.fixture(scope="session")
def start_server(ghl, signer):
    """Starts a `livehub serve` (stopped at the end of the session unless stopped before)."""
    started = []

    def start(name="livehub", extra_env=None) -> LiveHubServer:
        s = LiveHubServer(ghl, signer, make_workdir(f"livehub-{name}-"), extra_env=extra_env, name=name)
        s.start()
        started.append(s)
        _running_servers.append(s)
        return s

    yield start
    for s in started:
        stop_server(s)
        if not _any_failure[0]:
            shutil.rmtree(s.workdir, ignore_errors=True)
        else:
            print(f"{s.name}: data and log kept in {s.workdir}")


def stop_server(s: LiveHubServer):
    s.stop()
    if s in _running_servers:
        _running_servers.remove(s)


@pytest.fixture(scope="module")
def server(start_server, request):
    """A server of the test module's own (a fresh data directory)."""
    s = start_server(name=request.module.__name__)
    yield s
    stop_server(s)


# --- pages that fail the test on console errors and CSP violations

_CSP_HOOK = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + (e.sourceFile || '') + ':' + (e.lineNumber || ''));
});
"""


class PageErrors:
    def __init__(self, name):
        self.name = name
        self.errors: list[str] = []
        # Chromium asks every top-level origin for /favicon.ico; a missing icon is not the console's error.
        self.allowed: list[str] = [r"favicon\.ico"]

    def allow(self, *patterns: str):
        """Console errors matching one of these regexes are expected (e.g. a 409 the test causes)."""
        self.allowed.extend(patterns)

    def unexpected(self):
        return [e for e in self.errors if not any(re.search(p, e) for p in self.allowed)]


@pytest.fixture
def new_page(browser, browser_context_args, request):
    """`new_page(name)`: a page in a fresh context; console errors fail the test unless allowed."""
    opened = []

    def make(name="page", **context_args):
        context = browser.new_context(**{**browser_context_args, **context_args})
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(_CSP_HOOK)
        page = context.new_page()
        errs = PageErrors(name)
        page.on("console", lambda m: errs.errors.append(f"console.{m.type}: {m.text} ({m.location.get('url', '')})") if m.type == "error" else None)
        page.on("pageerror", lambda e: errs.errors.append(f"uncaught: {e}"))
        page.errors = errs
        opened.append((context, page))
        return page

    yield make
    problems = []
    for context, page in opened:
        problems += [f"[{page.errors.name}] {e}" for e in page.errors.unexpected()]
        context.close()
    call = getattr(request.node, "rep_call", None)
    if problems and call is not None and call.passed:
        pytest.fail("console errors in the page:\n" + "\n".join(problems), pytrace=False)
    elif problems:
        print("console errors in the page:\n" + "\n".join(problems))
