"""JWT wiring: who the caller is, checked against the database on every authenticated request.

current_user is a Caller (app/repositories/caller_repository.py): id, role, is_active, token_version and
customer_id, read in one statement with the revocation check.
"""
from flask import g
from flask_jwt_extended import create_access_token, create_refresh_token, get_current_user, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt.exceptions import PyJWTError

from app.errors import error_response
from app.extensions import jwt
from app.models.base import MAX_ID
from app.repositories import caller_repository


def issue_access_token(user):
    """An access token: string sub, the role claim, and the user's token version."""
    return create_access_token(identity=str(user.id), additional_claims={"role": user.role, "ver": user.token_version})


def issue_refresh_token(user):
    return create_refresh_token(identity=str(user.id), additional_claims={"ver": user.token_version})


@jwt.token_in_blocklist_loader
def is_revoked(_header, payload):
    """Is the token revoked; also reads the live caller, so load_user runs no query."""
    revoked, caller = _token_check(payload)
    g.jwt_checked = (payload["jti"], caller)
    return revoked


@jwt.user_lookup_loader
def load_user(_header, payload):
    """The live caller; None (401) when deleted, banned, or the token predates a password change."""
    jti, caller = g.get("jwt_checked", (None, None))
    if jti != payload["jti"]:
        caller = _token_check(payload)[1]
    if caller is None or not caller.is_active or payload.get("ver", 0) != caller.token_version:
        return None
    return caller


def _token_check(payload):
    """(revoked, Caller or None) of the token's jti and subject."""
    return caller_repository.token_check(payload["jti"], _subject(payload))


def _subject(payload):
    """The token's user id, or None when sub is no id a row could have."""
    try:
        user_id = int(payload["sub"])
    except (TypeError, ValueError):
        return None
    return user_id if 0 < user_id <= MAX_ID else None


@jwt.user_lookup_error_loader
def user_gone(_header, _payload):
    return error_response(401, "Account is inactive, deleted, or this token was revoked", "ACCOUNT_UNAVAILABLE")


@jwt.revoked_token_loader
def token_revoked(_header, _payload):
    return error_response(401, "Token has been revoked", "TOKEN_REVOKED")


@jwt.unauthorized_loader
def token_missing(_reason):
    return error_response(401, "Missing authorization token", "AUTHORIZATION_REQUIRED")


@jwt.invalid_token_loader
def token_invalid(_reason):
    return error_response(401, "Invalid token", "INVALID_TOKEN")


@jwt.expired_token_loader
def token_expired(_header, _payload):
    return error_response(401, "Token has expired", "TOKEN_EXPIRED")


def optional_caller():
    """The user of a valid access token, or None: a missing, stale or broken token on a public route is no error."""
    try:
        verify_jwt_in_request(optional=True)
    except (JWTExtendedException, PyJWTError):
        return None
    return get_current_user()
