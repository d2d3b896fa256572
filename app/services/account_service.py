"""Mailed account tokens: forgot and reset password, e-mail verification."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from app.enums import EventType, TokenPurpose
from app.errors import BadRequest
from app.models import AccountToken
from app.models.base import utcnow
from app.repositories import account_token_repository, user_repository
from app.services import events_service
from app.services.unit_of_work import unit_of_work
from app.utils.passwords import hash_password

TTL_SETTINGS = {TokenPurpose.PASSWORD_RESET: "PASSWORD_RESET_TTL",
                TokenPurpose.EMAIL_VERIFICATION: "EMAIL_VERIFICATION_TTL"}


def _invalid_token():
    return BadRequest("Invalid or expired token", code="INVALID_TOKEN")


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(email):
    """Queue the reset mail; no account lookup here, so a known and an unknown address take the same time."""
    with unit_of_work():
        events_service.emit(EventType.PASSWORD_RESET_REQUESTED, {"email": email})


def issue_token(user, purpose):
    """A new token of that purpose for the user, in the caller's transaction; older ones stop working.

    Returns the token's text, which is only ever mailed: the database keeps its SHA-256.
    """
    now = utcnow()
    account_token_repository.invalidate_all(user.id, purpose, now)
    token = secrets.token_urlsafe(32)
    ttl = current_app.config[TTL_SETTINGS[purpose]]
    account_token_repository.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=_hash(token),
                                              expires_at=now + timedelta(seconds=ttl)))
    return token


def reset_password(token, new_password):
    """Set the password of the token's account and revoke every earlier JWT; the token is used up."""
    new_hash = hash_password(new_password)
    with unit_of_work():
        now = utcnow()
        user = _consume(token, TokenPurpose.PASSWORD_RESET, now)
        if not user.is_active:
            raise _invalid_token()
        user_repository.set_password_hash(user, new_hash)
        account_token_repository.invalidate_all(user.id, TokenPurpose.PASSWORD_RESET, now)
        events_service.emit(EventType.PASSWORD_CHANGED, {"user_id": user.id})


def verify_email(token):
    """Mark the token's account verified."""
    with unit_of_work():
        user = _consume(token, TokenPurpose.EMAIL_VERIFICATION, utcnow())
        user.email_verified = True


def request_verification(user_id):
    """Queue a new verification mail; False (and nothing queued) when the address is already verified."""
    with unit_of_work():
        user = user_repository.get(user_id)
        if user.email_verified:
            return False
        events_service.emit(EventType.VERIFICATION_REQUESTED, {"user_id": user.id})
    return True


def _consume(token, purpose, now):
    """The user of an unused, unexpired token, which is marked used; 400 INVALID_TOKEN otherwise."""
    user_id = account_token_repository.consume(_hash(token), purpose, now)
    user = user_repository.get(user_id) if user_id is not None else None
    if user is None:
        raise _invalid_token()
    return user
