"""JWT wiring: who the caller is, read live from the database on every authenticated request."""
from flask import g
from flask_jwt_extended import create_access_token, create_refresh_token, get_current_user, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt.exceptions import PyJWTError
from sqlalchemy import bindparam, select
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import error_response
from app.extensions import db, jwt
from app.models import Customer, Employee, RevokedToken, User


def issue_access_token(user):
    """An access token: string sub, the role claim, and the user's token version."""
    return create_access_token(identity=str(user.id), additional_claims={"role": user.role, "ver": user.token_version})


def issue_refresh_token(user):
    return create_refresh_token(identity=str(user.id), additional_claims={"ver": user.token_version})


# Built once: the revocation check of every authenticated request, also loading the caller and both profiles.
# The profiles are plain outer-joined entities handed to the relationships (set_committed_value): the same
# objects joinedload would give, without its per-request eager-loading machinery.
_REVOKED = select(RevokedToken.id).where(RevokedToken.jti == bindparam("jti")).exists()
_CALLER = (select(_REVOKED, User, Customer, Employee).outerjoin(Customer, Customer.user_id == User.id)
           .outerjoin(Employee, Employee.user_id == User.id).where(User.id == bindparam("user_id")))


@jwt.token_in_blocklist_loader
def is_revoked(_header, payload):
    """One statement: is the token revoked, and the live caller (so load_user runs no query)."""
    try:
        row = db.session.execute(_CALLER, {"jti": payload["jti"], "user_id": int(payload["sub"])}).first()
    except (TypeError, ValueError, OverflowError):
        row = None
    if row is None:  # no such user: load_user answers 401, the revocation is still reported first
        return db.session.scalar(select(_REVOKED), {"jti": payload["jti"]}) is True
    revoked, user, customer, employee = row
    set_committed_value(user, "customer", customer)
    set_committed_value(user, "employee", employee)
    g.jwt_caller = user  # the session's identity map holds objects weakly: keep it for load_user
    return bool(revoked)


@jwt.user_lookup_loader
def load_user(_header, payload):
    """The live user; None (401) when deleted, banned, or the token predates a password change."""
    try:
        user = db.session.get(User, int(payload["sub"]))
    except (TypeError, ValueError):
        return None
    if user is None or not user.is_active or payload.get("ver", 0) != user.token_version:
        return None
    return user


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
