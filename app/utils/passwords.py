"""Password hashing with argon2id; the cost comes from config."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def init_password_hasher(app):
    hasher = PasswordHasher(
        time_cost=app.config["PASSWORD_HASH_TIME_COST"],
        memory_cost=app.config["PASSWORD_HASH_MEMORY_KIB"],
        parallelism=1,
    )
    app.extensions["password_hasher"] = hasher
    # Hashed once here, at the configured cost: a login for a missing account then runs one verify and no hash.
    app.extensions["password_dummy_hash"] = hasher.hash("not-a-real-password")


def hash_password(password):
    return current_app.extensions["password_hasher"].hash(password)


def verify_password(password_hash, password):
    """True when password matches; a malformed stored hash never matches."""
    try:
        return current_app.extensions["password_hasher"].verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_verify(password):
    """One verify against a hash no password matches: a missing account costs what a wrong password costs."""
    verify_password(current_app.extensions["password_dummy_hash"], password)
