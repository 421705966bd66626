"""The SSO encryptor against itself and against `openssl enc` (no server needed)."""
import json
import shutil
import subprocess

import pytest

import sso

SECRET = "shared-secret-0123456789"


def test_round_trip():
    ctx = sso.user_context("u-1", "admin", "loc-1")
    blob = sso.encrypt_context(ctx, SECRET)
    assert json.loads(sso.decrypt(blob, SECRET)) == ctx
    raw = __import__("base64").b64decode(blob)
    assert raw[:8] == b"Salted__" and (len(raw) - 16) % 16 == 0


def test_known_key_derivation():
    # EVP_BytesToKey(MD5, 1 iteration): key||iv are the first 48 bytes of D1||D2||D3.
    import hashlib
    salt = bytes(range(8))
    d1 = hashlib.md5(b"pw" + salt).digest()
    d2 = hashlib.md5(d1 + b"pw" + salt).digest()
    d3 = hashlib.md5(d2 + b"pw" + salt).digest()
    key, iv = sso.evp_bytes_to_key(b"pw", salt)
    assert key == d1 + d2 and iv == d3


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_matches_openssl_both_ways():
    plain = json.dumps(sso.user_context("u-2", "user", "loc-2")).encode()
    # ours → openssl
    blob = sso.encrypt(plain, SECRET)
    out = subprocess.run(["openssl", "enc", "-d", "-aes-256-cbc", "-md", "md5", "-pass", f"pass:{SECRET}", "-base64", "-A"],
                         input=blob.encode(), capture_output=True, check=True)
    assert out.stdout == plain
    # openssl → ours
    out = subprocess.run(["openssl", "enc", "-aes-256-cbc", "-md", "md5", "-salt", "-pass", f"pass:{SECRET}", "-base64", "-A"],
                         input=plain, capture_output=True, check=True)
    assert sso.decrypt(out.stdout.decode().strip(), SECRET) == plain


def test_wrong_secret_and_tamper_fail():
    blob = sso.encrypt(b'{"userId":"u"}', SECRET)
    for bad in (lambda: sso.decrypt(blob, "other-secret"), lambda: json.loads(sso.decrypt(sso.tamper(blob), SECRET))):
        try:
            result = bad()
        except Exception:
            continue
        # Rarely a wrong key still unpads; it is then not the same JSON.
        assert result != {"userId": "u"} and result != b'{"userId":"u"}'
