"""GHL's SSO payload: CryptoJS passphrase mode (OpenSSL compatible).

base64("Salted__" + salt(8) + AES-256-CBC/PKCS#7(plaintext)); key (32) and IV (16) from
OpenSSL's EVP_BytesToKey with MD5 and one iteration:
D1 = MD5(secret + salt), Di = MD5(D(i-1) + secret + salt), key + iv = first 48 bytes.
"""
import base64
import hashlib
import json
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def evp_bytes_to_key(secret: bytes, salt: bytes, key_len: int = 32, iv_len: int = 16):
    out, block = b"", b""
    while len(out) < key_len + iv_len:
        block = hashlib.md5(block + secret + salt).digest()
        out += block
    return out[:key_len], out[key_len:key_len + iv_len]


def encrypt(plaintext: bytes, secret: str, salt: bytes | None = None) -> str:
    salt = os.urandom(8) if salt is None else salt
    key, iv = evp_bytes_to_key(secret.encode(), salt)
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return base64.b64encode(b"Salted__" + salt + enc.update(data) + enc.finalize()).decode()


def decrypt(payload: str, secret: str) -> bytes:
    raw = base64.b64decode(payload)
    if raw[:8] != b"Salted__" or len(raw) < 32:
        raise ValueError("not an OpenSSL salted payload")
    key, iv = evp_bytes_to_key(secret.encode(), raw[8:16])
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    data = dec.update(raw[16:]) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(data) + unpadder.finalize()


def user_context(user_id: str, role: str = "user", location: str | None = "loc-1", user_name: str = "Test User") -> dict:
    """The decrypted user context GHL sends: location context, or agency when location is None."""
    ctx = {
        "userId": user_id,
        "companyId": "company-1",
        "role": role,
        "type": "location" if location else "agency",
        "userName": user_name,
        "email": f"{user_id}@example.com",
        "isAgencyOwner": False,
    }
    if location:
        ctx["activeLocation"] = location
    return ctx


def encrypt_context(ctx: dict, secret: str) -> str:
    return encrypt(json.dumps(ctx).encode(), secret)


def tamper(payload: str) -> str:
    """Flips one bit in the last ciphertext block (breaks the padding or the JSON)."""
    raw = bytearray(base64.b64decode(payload))
    raw[-5] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()
