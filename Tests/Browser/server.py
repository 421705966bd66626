"""`livehub serve` as a child process, with the environment the browser tests need."""
import base64
import errno
import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / ".build" / "debug" / "livehub"

# Ports Chromium refuses (ERR_UNSAFE_PORT) that could show up as "free".
_UNSAFE_PORTS = {1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
                 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
                 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060,
                 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080}


def free_port() -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _UNSAFE_PORTS:
            return port


def _b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


class HTTPResult:
    def __init__(self, status, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return f"<HTTP {self.status} {self.body[:300]!r}>"


def http(method: str, url: str, body=None, token: str | None = None, headers: dict | None = None, timeout: float = 30) -> HTTPResult:
    h = dict(headers or {})
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        h.setdefault("content-type", "application/json")
    if token:
        h["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return HTTPResult(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return HTTPResult(e.code, e.headers, e.read())


class LiveHubServer:
    """One `livehub serve` with its own data directory and free port."""

    def __init__(self, ghl, signer, workdir: Path, extra_env: dict | None = None, name: str = "livehub"):
        self.name = name
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.workdir / "data"
        self.data_dir.mkdir(exist_ok=True)
        self.log_path = self.workdir / "server.log"
        self.jwt_secret = secrets.token_hex(32)
        self.sso_key = "sso-" + secrets.token_hex(16)
        tokens = self.workdir / "ghl-tokens.json"
        tokens.write_text(json.dumps({"loc-1": "pit-token", "loc-2": "pit-token-2"}))
        self.ghl, self.signer = ghl, signer
        self.env = dict(os.environ)
        self.env.update({
            "LIVEHUB_JWT_SECRET": self.jwt_secret,
            "LIVEHUB_GHL_PUBLIC_KEYS": signer.pem_path,
            "LIVEHUB_GHL_API_URL": ghl.url,
            "LIVEHUB_GHL_TOKENS": str(tokens),
            "LIVEHUB_GHL_SSO_KEY": self.sso_key,
            "LIVEHUB_SLA_SECONDS": "120",
            "LIVEHUB_LOG_LEVEL": "warning",
        })
        for k, v in (extra_env or {}).items():  # None removes a variable
            if v is None:
                self.env.pop(k, None)
            else:
                self.env[k] = v
        self.port = None
        self.proc = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60):
        if not BINARY.exists():
            raise RuntimeError(f"{BINARY} is missing: run swift build first")
        for attempt in range(3):
            self.port = free_port()
            self._log = open(self.log_path, "ab")
            self._log.write(f"--- start on port {self.port} ---\n".encode())
            self._log.flush()
            self.proc = self._spawn(
                [str(BINARY), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(self.data_dir)],
                stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=str(self.workdir))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    if http("GET", self.url + "/readyz", timeout=2).status == 200:
                        return self
                except OSError:
                    pass
                time.sleep(0.1)
            exited = self.proc.poll() is not None
            self.stop()
            if not exited:
                raise RuntimeError(f"{self.name}: /readyz not 200 within {timeout} s\n{self.log_tail()}")
            if "address" not in self.log_tail().lower():  # not a port race: a real failure
                raise RuntimeError(f"{self.name} exited at start\n{self.log_tail()}")
        raise RuntimeError(f"{self.name}: could not start\n{self.log_tail()}")

    def _spawn(self, argv, **kw):
        """Popen, waiting (up to 2 min) while a build is rewriting the binary (ETXTBSY)."""
        deadline = time.monotonic() + 120
        while True:
            try:
                return subprocess.Popen(argv, env=self.env, **kw)
            except OSError as e:
                if e.errno != errno.ETXTBSY or time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    # --- the CLI with the same environment

    def _cli(self, *args) -> str:
        p = self._spawn([str(BINARY), *args, "--data-dir", str(self.data_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stdout, stderr = p.communicate(timeout=60)
        out = subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr)
        if out.returncode != 0:
            raise RuntimeError(f"livehub {' '.join(args)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
        lines = [line.strip() for line in out.stdout.splitlines() if line.strip()]
        if not lines:
            raise RuntimeError(f"livehub {' '.join(args)} printed nothing:\n{out.stderr}")
        return lines[-1]

    def login_link(self, role: str, user: str, location: str = "loc-1") -> str:
        return self._cli("login-link", "--role", role, "--user", user, "--location", location, "--url", self.url)

    def token(self, role: str, user: str, *locations: str, hours: float = 1) -> str:
        args = ["token", "--role", role, "--user", user, "--hours", str(hours)]
        for loc in locations or ("loc-1",):
            args += ["--location", loc]
        return self._cli(*args)

    def mint_token(self, role: str, user: str, locations=("loc-1",), exp: float | None = None) -> str:
        """An HS256 token signed with the server's secret; any expiry (e.g. in the past)."""
        header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = {"sub": user, "role": role, "locations": list(locations), "exp": int(exp if exp is not None else time.time() + 3600)}
        payload = _b64url(json.dumps(claims).encode())
        sig = hmac.new(self.jwt_secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{_b64url(sig)}"

    # --- HTTP

    def get(self, path, token=None, headers=None) -> HTTPResult:
        return http("GET", self.url + path, token=token, headers=headers)

    def post(self, path, body=None, token=None, headers=None) -> HTTPResult:
        return http("POST", self.url + path, body=body if body is not None else {}, token=token, headers=headers)

    def events(self, conversation_id: str, token: str, after: int = 0) -> list:
        """Every stored event of a conversation (pages through `next`)."""
        out = []
        while True:
            r = self.get(f"/v1/conversations/{conversation_id}/events?after={after}&limit=1000", token=token)
            assert r.status == 200, r
            page = r.json
            out += page["events"]
            if page.get("next") is None:
                return out
            after = page["next"]

    def webhook(self, payload, expect_ok: bool = True):
        status, answer = self.signer.post(self.url, payload)
        if expect_ok:
            assert status == 200 and isinstance(answer, dict) and not answer.get("error"), f"webhook refused: {status} {answer}\n{self.log_tail(20)}"
        return status, answer


def make_workdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
