"""A fake Anthropic Messages API on 127.0.0.1: `POST /v1/messages` answers 200 with a recorded SSE
stream (e.g. Fixtures/llm/anthropic-basic.sse), one HTTP chunk per event; every request is
recorded (path, lowercased headers, JSON body). Anything else gets 404.

`pause_after_first_text()` makes the next streams stop after their first `content_block_delta`
until `resume()`, so a test can look at a draft half streamed.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def sse_events(data: bytes) -> list[tuple[str | None, bytes]]:
    """(event name, raw bytes of the event including its blank line) for each event of an SSE body."""
    out = []
    text = data.replace(b"\r\n", b"\n")
    for block in text.split(b"\n\n"):
        if not block.strip():
            continue
        name = None
        for line in block.split(b"\n"):
            if line.startswith(b"event:"):
                name = line[6:].strip().decode()
        out.append((name, block + b"\n\n"))
    return out


def anthropic_text(data: bytes) -> list[str]:
    """The `delta.text` of each `content_block_delta` text event, in order."""
    pieces = []
    for name, raw in sse_events(data):
        if name != "content_block_delta":
            continue
        payload = b"\n".join(line[5:].strip() for line in raw.split(b"\n") if line.startswith(b"data:"))
        delta = json.loads(payload).get("delta", {})
        if delta.get("type") == "text_delta":
            pieces.append(delta["text"])
    return pieces


class FakeAnthropic:
    def __init__(self, sse_path: Path):
        self.stream = Path(sse_path).read_bytes()
        self.requests = []       # [{"path", "headers", "body"}] for POST /v1/messages
        self.other = []          # (method, path) of anything else
        self._lock = threading.Lock()
        self._gate = threading.Event()
        self._gate.set()
        self.paused = threading.Event()  # set while a stream waits at the gate
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _body(self) -> bytes:
                if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                    data = b""
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def _chunk(self, data: bytes):
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def do_POST(self):
                raw = self._body()
                if self.path.split("?")[0] != "/v1/messages":
                    return self._not_found(raw)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                with fake._lock:
                    fake.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                first_text = True
                try:
                    for name, event in sse_events(fake.stream):
                        self._chunk(event)
                        if name == "content_block_delta" and first_text:
                            first_text = False
                            if not fake._gate.is_set():
                                fake.paused.set()
                                fake._gate.wait(timeout=20)
                                fake.paused.clear()
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def _not_found(self, raw=b""):
                with fake._lock:
                    fake.other.append((self.command, self.path))
                data = b'{"type":"error","error":{"type":"not_found_error","message":"not found"}}'
                self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._not_found(self._body())

            do_PUT = do_DELETE = do_PATCH = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="fake-anthropic", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.resume()
        self.server.shutdown()
        self.server.server_close()

    def pause_after_first_text(self):
        self._gate.clear()

    def resume(self):
        self._gate.set()

    def recorded(self) -> list:
        with self._lock:
            return list(self.requests)
