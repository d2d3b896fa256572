"""The blocklist of tokens revoked before their expiry."""
from sqlalchemy import delete, select

from app.extensions import db
from app.models import RevokedToken


def is_revoked(jti):
    return db.session.scalar(select(RevokedToken.id).where(RevokedToken.jti == jti).limit(1)) is not None


def add(jti, token_type, user_id, expires_at):
    token = RevokedToken(jti=jti, token_type=token_type, user_id=user_id, expires_at=expires_at)
    db.session.add(token)
    return token


def purge_expired(now):
    """Forget revocations of tokens that have expired anyway."""
    return db.session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now)).rowcount
