"""GHL's web app as a parent window: a page on its own origin that frames the console and answers
the console's `REQUEST_USER_DATA` postMessage with an encrypted user context (as GHL does)."""
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>GHL (test parent)</title>
<style>html, body {{ margin: 0; height: 100%; }} iframe {{ border: 0; width: 100%; height: 100%; display: block; }}</style>
</head><body>
<script>
  const payload = {payload};
  window.userDataRequests = 0;
  window.addEventListener('message', (e) => {{
    if (e.data && e.data.message === 'REQUEST_USER_DATA') {{
      window.userDataRequests += 1;
      if (payload !== null) e.source.postMessage({{message: 'REQUEST_USER_DATA_RESPONSE', payload}}, '*');
    }}
  }});
  const frame = document.createElement('iframe');
  frame.id = 'console';
  frame.src = {src};
  document.body.appendChild(frame);
</script>
</body></html>
"""


class GHLParent:
    """`/frame?src=<console url>&payload=<encrypted string>` → the parent page."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                u = urllib.parse.urlparse(self.path)
                q = urllib.parse.parse_qs(u.query)
                if u.path == "/favicon.ico":
                    self.send_response(204)
                    self.end_headers()
                    return
                if u.path != "/frame" or "src" not in q:
                    self.send_error(404)
                    return
                payload = q.get("payload", [None])[0]
                body = PAGE.format(payload=json.dumps(payload).replace("<", "\\u003c"),
                                   src=json.dumps(q["src"][0]).replace("<", "\\u003c")).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, name="ghl-parent", daemon=True).start()

    def url(self, console_url: str, payload: str | None) -> str:
        q = {"src": console_url}
        if payload is not None:
            q["payload"] = payload
        return f"{self.origin}/frame?{urllib.parse.urlencode(q)}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
