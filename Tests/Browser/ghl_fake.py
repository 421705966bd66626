"""A fake GHL REST API on 127.0.0.1: records `POST /conversations/messages`, 404 for the rest."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGHL:
    def __init__(self):
        self.sends = []          # [{"path", "headers", "body"}] for POST /conversations/messages
        self.other = []          # every other request: (method, path)
        self._lock = threading.Lock()
        self._n = 0
        self.delay = 0.0         # seconds to wait before answering a send (to observe "queued")
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def _answer(self, status, obj):
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                raw = self._body()
                if self.path.split("?")[0].rstrip("/") == "/conversations/messages":
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        body = {"_raw": raw.decode("utf-8", "replace")}
                    with fake._lock:
                        fake._n += 1
                        n = fake._n
                        fake.sends.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                    if fake.delay:
                        time.sleep(fake.delay)
                    conv = body.get("conversationId") if isinstance(body, dict) else None
                    self._answer(201, {"conversationId": conv or "conv-x", "messageId": f"ghl-msg-{n}", "msg": "Message queued"})
                else:
                    fake._other("POST", self.path)
                    self._answer(404, {"message": "not found"})

            def _not_found(self):
                self._body()
                fake._other(self.command, self.path)
                self._answer(404, {"message": "not found"})

            do_GET = do_PUT = do_DELETE = do_PATCH = _not_found

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="fake-ghl", daemon=True)

    def _other(self, method, path):
        with self._lock:
            self.other.append((method, path))

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def sends_for(self, contact_id=None, text=None):
        """Recorded sends, optionally only those to a contact and/or with a text."""
        with self._lock:
            out = list(self.sends)
        if contact_id is not None:
            out = [s for s in out if s["body"].get("contactId") == contact_id]
        if text is not None:
            out = [s for s in out if s["body"].get("message") == text]
        return out
