"""Mailed single-use tokens, found by the SHA-256 of their text."""
from sqlalchemy import delete, update

from app.extensions import db
from app.models import AccountToken


def add(token):
    db.session.add(token)
    return token


def consume(token_hash, purpose, now):
    """Mark an unused, unexpired token used; its user id, or None. One UPDATE: two uses at once, one wins."""
    used = db.session.execute(
        update(AccountToken)
        .where(AccountToken.token_hash == token_hash, AccountToken.purpose == purpose,
               AccountToken.used_at.is_(None), AccountToken.expires_at > now)
        .values(used_at=now).returning(AccountToken.user_id)
    )
    return used.scalar_one_or_none()


def invalidate_all(user_id, purpose, now):
    """A new token makes the user's older ones of that purpose useless."""
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user_id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=now)
    )


def purge_expired(now):
    return db.session.execute(delete(AccountToken).where(AccountToken.expires_at < now)).rowcount
