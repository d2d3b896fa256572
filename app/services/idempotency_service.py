"""Idempotency-Key support: the first answer to a keyed request is stored and replayed on repeats.

The caller looks the key up after its first write (the lock that serializes requests on the same
resource) and stores the answer in the same transaction as the work, so a repeat either waits for
the first request's commit and finds its answer, or loses the unique-key race and reads it then.
Answers are kept as the JSON text that was sent, so a replay is byte for byte the first answer.
"""
import hashlib
import json
from dataclasses import dataclass

from app.errors import IdempotencyMismatch
from app.models import IdempotencyRecord
from app.repositories import idempotency_repository


@dataclass(frozen=True)
class KeyedRequest:
    user_id: int
    scope: str
    key: str
    request_hash: str


def keyed_request(user_id, scope, key, payload):
    """The request's identity for replay, or None when no key was sent."""
    if key is None:
        return None
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return KeyedRequest(user_id, scope, key, hashlib.sha256(canonical.encode()).hexdigest())


def stored_response(request):
    """(status, JSON text) stored for this key, None if there is none; 422 when the key came with another body."""
    if request is None:
        return None
    record = idempotency_repository.get(request.user_id, request.scope, request.key)
    if record is None:
        return None
    if record.request_hash != request.request_hash:
        raise IdempotencyMismatch("This Idempotency-Key was already used with a different request body")
    return record.response_status, record.response_body


def store_response(request, status, text):
    """Keep (status, JSON text) for later repeats of this key, in the caller's transaction."""
    if request is not None:
        idempotency_repository.add(IdempotencyRecord(
            user_id=request.user_id, scope=request.scope, key=request.key, request_hash=request.request_hash,
            response_status=status, response_body=text,
        ))
