"""Cutting a page's WebSocket mid-stream.

Chromium's offline emulation (`context.set_offline`) makes new connections fail but leaves an
open WebSocket alone, so the page's socket is proxied through Playwright (`route_web_socket`):
`cut()` closes the open socket as a dropped network would (1006 cannot be sent; 1001 "going
away") and refuses new sockets until `restore()`; with `offline=True` the browser is also told
it is offline (`navigator.onLine` false, HTTP fails), else it looks like an unreachable server.
"""
import re

NETWORK_ERRORS = (r"WebSocket connection to .* failed", r"ERR_INTERNET_DISCONNECTED", r"net::ERR_")


class SocketCutter:
    def __init__(self, page):
        self.page = page
        self.down = False
        self.sockets = []   # (page side, server side) of every proxied socket
        self.refused = 0
        page.errors.allow(*NETWORK_ERRORS)
        page.route_web_socket(re.compile(r"/v1/ws"), self._route)

    def _route(self, ws):
        if self.down:
            self.refused += 1
            ws.close(code=1001, reason="test: network down")
            return
        self.sockets.append((ws, ws.connect_to_server()))

    def cut(self, offline: bool = True):
        self.down = True
        if offline:
            self.page.context.set_offline(True)
        for ws, server in self.sockets:
            ws.close(code=1001, reason="test: network down")
            server.close()
        self.sockets.clear()

    def restore(self):
        self.down = False
        self.page.context.set_offline(False)
