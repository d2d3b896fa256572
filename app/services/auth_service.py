"""Registration, login, tokens and passwords."""
from datetime import datetime, timezone

from flask_jwt_extended import decode_token
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt.exceptions import PyJWTError

from app.enums import EventType, UserRole
from app.errors import BadRequest, Forbidden, Unauthorized, ValidationFailed
from app.repositories import revoked_token_repository, user_repository
from app.security import issue_access_token, issue_refresh_token
from app.services import cart_service, events_service, user_admin_service, user_service
from app.services.unit_of_work import unit_of_work
from app.utils.passwords import dummy_verify, hash_password, verify_password

INVALID_CREDENTIALS = "Invalid credentials or inactive account"


def register(data, caller=None, cart_token=None):
    """Public sign-up creates a customer (taking the guest cart of cart_token along); an admin caller may create
    any role. Returns the new user."""
    role = data.get("role") or UserRole.CUSTOMER
    if role != UserRole.CUSTOMER and (caller is None or caller.role != UserRole.ADMIN):
        raise Forbidden("Public registration is limited to customer accounts only")
    admin = caller if caller is not None and caller.role == UserRole.ADMIN else None
    user = user_admin_service.create_user(data, role, actor=admin)  # an admin's creation is audited
    if admin is None:
        _take_guest_cart(user, cart_token)
    return user


def login(identifier, password, cart_token=None):
    """Tokens for valid credentials of an active account; one answer for every kind of failure. A customer's
    login takes the guest cart of cart_token along."""
    user = user_repository.get_by_login(identifier)
    if user is None:
        dummy_verify(password)  # a missing account costs as much time as a wrong password
        raise Unauthorized(INVALID_CREDENTIALS, code="INVALID_CREDENTIALS")
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise Unauthorized(INVALID_CREDENTIALS, code="INVALID_CREDENTIALS")
    _take_guest_cart(user, cart_token)
    return {"access_token": issue_access_token(user), "refresh_token": issue_refresh_token(user), "user": user}


def refresh(caller):
    """A new access token carrying the caller's current role."""
    return {"access_token": issue_access_token(caller)}


def change_password(user_id, old_password, new_password):
    """Replace the password and revoke every earlier token; returns fresh tokens {access_token, refresh_token}."""
    user = user_service.get_user(user_id)
    if not verify_password(user.password_hash, old_password):
        raise BadRequest("Invalid current password", code="INVALID_CURRENT_PASSWORD")
    if old_password == new_password:
        raise ValidationFailed({"new_password": ["New password must differ from the current one"]})
    new_hash = hash_password(new_password)
    with unit_of_work():
        # Only over the hash just verified: a change or reset that came first makes the old password wrong.
        if not user_repository.set_password_hash(user, new_hash, expected_hash=user.password_hash):
            raise BadRequest("Invalid current password", code="INVALID_CURRENT_PASSWORD")
        events_service.emit(EventType.PASSWORD_CHANGED, {"user_id": user.id})
    return {"access_token": issue_access_token(user), "refresh_token": issue_refresh_token(user)}


def logout(user, access_claims, refresh_token=None):
    """Revoke the presented access token and, when sent, the user's refresh token."""
    claims = [access_claims]
    if refresh_token:
        claims.append(_own_refresh_claims(user, refresh_token))
    now = datetime.now(timezone.utc)
    with unit_of_work():
        revoked_token_repository.purge_expired(now)
        for token in claims:
            if not revoked_token_repository.is_revoked(token["jti"]):
                expires_at = datetime.fromtimestamp(token["exp"], timezone.utc)
                revoked_token_repository.add(token["jti"], token["type"], user.id, expires_at)


def _own_refresh_claims(user, token):
    """The claims of a refresh token issued to this user (expired ones included), else a 400."""
    try:
        claims = decode_token(token, allow_expired=True)
    except (PyJWTError, JWTExtendedException):
        claims = None
    if not claims or claims.get("type") != "refresh" or claims.get("sub") != str(user.id):
        raise ValidationFailed({"refresh_token": ["Not a refresh token of this account"]})
    return claims


def _take_guest_cart(user, cart_token):
    # Staff carts are not merged: a guest cart is a shopper's; an unknown token changes nothing and fails nothing.
    if cart_token is not None and user.role == UserRole.CUSTOMER and user.customer is not None:
        cart_service.merge_guest_cart(cart_token, user.customer.id)
