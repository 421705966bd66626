"""Signed GHL webhooks: an Ed25519 key pair, body builders in GHL's wire format, and delivery."""
import base64
import itertools
import json
import threading
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

_counter = itertools.count(1)
_lock = threading.Lock()


def now_iso() -> str:
    """ISO-8601 with milliseconds and Z, as GHL writes `timestamp`/`dateAdded`."""
    t = datetime.now(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def fresh_id(prefix: str) -> str:
    with _lock:
        n = next(_counter)
    return f"{prefix}-{n}-{uuid.uuid4().hex[:8]}"


class Signer:
    """One Ed25519 key pair; the public key is written as a SubjectPublicKeyInfo PEM file."""

    def __init__(self, pem_path):
        self._key = Ed25519PrivateKey.generate()
        pem = self._key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.pem_path = str(pem_path)
        with open(self.pem_path, "wb") as f:
            f.write(pem)

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self._key.sign(body)).decode()

    def post(self, base_url: str, payload, signature: str | None = None, timeout: float = 30):
        """POSTs the webhook (dict → compact JSON; bytes as they are). Returns (status, json or text)."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload, separators=(",", ":")).encode()
        req = urllib.request.Request(base_url.rstrip("/") + "/webhooks/ghl", data=body, method="POST", headers={
            "content-type": "application/json",
            "x-ghl-signature": self.sign(body) if signature is None else signature,
        })
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")


def inbound_sms(conversation_id: str, contact_id: str, body: str, location_id: str = "loc-1", message_type: str = "SMS", **extra) -> dict:
    """An `InboundMessage` like Fixtures/ghl/inbound-sms.json, with fresh ids and now."""
    at = now_iso()
    w = {
        "type": "InboundMessage",
        "webhookId": fresh_id("wh"),
        "timestamp": at,
        "locationId": location_id,
        "attachments": [],
        "body": body,
        "contactId": contact_id,
        "contentType": "text/plain",
        "conversationId": conversation_id,
        "dateAdded": at,
        "direction": "inbound",
        "messageType": message_type,
        "messageId": fresh_id("msg"),
        "status": "delivered",
        "conversationProviderId": "provider-1",
    }
    w.update(extra)
    return w


def outbound_sms(conversation_id: str, contact_id: str, body: str, user_id: str | None, location_id: str = "loc-1", **extra) -> dict:
    """An `OutboundMessage` (an agent replied from GHL itself)."""
    w = inbound_sms(conversation_id, contact_id, body, location_id, **extra)
    w.update({"type": "OutboundMessage", "direction": "outbound"})
    if user_id:
        w["userId"] = user_id
    return w


def contact(contact_id: str, location_id: str = "loc-1", first_name: str | None = None, last_name: str | None = None,
            phone: str | None = None, tags=None, assigned_to: str | None = None, change: str = "ContactCreate",
            timezone_name: str = "America/Chicago", **extra) -> dict:
    """`ContactCreate`/`ContactUpdate` in the `data` envelope of Fixtures/ghl/contact-create-envelope.json.

    GHL tells LiveHub who a conversation is assigned to through the contact's `assignedTo`.
    """
    data = {"id": contact_id, "locationId": location_id, "timezone": timezone_name}
    for k, v in (("firstName", first_name), ("lastName", last_name), ("phone", phone), ("tags", tags), ("assignedTo", assigned_to)):
        if v is not None:
            data[k] = v
    data.update(extra)
    return {"type": change, "timestamp": now_iso(), "webhookId": fresh_id("wh-contact"), "data": data}


def opportunity(opportunity_id: str, contact_id: str, monetary_value: float, location_id: str = "loc-1", name: str = "12 Oak Ridge Dr",
                status: str = "open", change: str = "OpportunityCreate", **extra) -> dict:
    """An opportunity change like Fixtures/ghl/opportunity-status-update.json (its value is the listing price)."""
    w = {
        "type": change, "webhookId": fresh_id("wh-opp"), "timestamp": now_iso(), "locationId": location_id,
        "id": opportunity_id, "contactId": contact_id, "monetaryValue": monetary_value, "name": name,
        "pipelineId": "pipe-1", "pipelineStageId": "stage-offer", "status": status,
    }
    w.update(extra)
    return w
