"""Password hashing with argon2id; the cost comes from config."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def init_password_hasher(app):
    app.extensions["password_hasher"] = PasswordHasher(
        time_cost=app.config["PASSWORD_HASH_TIME_COST"],
        memory_cost=app.config["PASSWORD_HASH_MEMORY_KIB"],
        parallelism=1,
    )


def hash_password(password):
    return current_app.extensions["password_hasher"].hash(password)


def verify_password(password_hash, password):
    """True when password matches; a malformed stored hash never matches."""
    try:
        return current_app.extensions["password_hasher"].verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verified against when the account does not exist, so that a missing user costs as much as a wrong password.
def dummy_verify(password):
    hasher = current_app.extensions["password_hasher"]
    dummy = current_app.extensions.setdefault("password_dummy_hash", hasher.hash("not-a-real-password"))
    verify_password(dummy, password)
