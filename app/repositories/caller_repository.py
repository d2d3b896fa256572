"""The token check of every authenticated request: is the token revoked, and the caller's account facts."""
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from app.models import Customer, RevokedToken, User
from app.extensions import db


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated caller: the account facts that authorization needs, with no session behind them.

    A service that changes the account loads the User itself (user_service.get_user(caller.id)).
    """

    id: int
    role: str
    is_active: bool
    token_version: int
    customer_id: int | None

    @classmethod
    def of(cls, user):
        """The Caller of a loaded User (scripts acting as a user, like the seed)."""
        return cls(user.id, user.role, user.is_active, user.token_version, user.customer.id if user.customer else None)


_REVOKED = select(RevokedToken.id).where(RevokedToken.jti == bindparam("jti")).exists()
_CALLER = (select(_REVOKED, User.id, User.role, User.is_active, User.token_version, Customer.id)
           .outerjoin(Customer, Customer.user_id == User.id).where(User.id == bindparam("user_id")))


def token_check(jti, user_id):
    """(revoked, Caller or None when the account does not exist) for a token's jti and subject."""
    row = db.session.execute(_CALLER, {"jti": jti, "user_id": user_id}).first() if user_id is not None else None
    if row is None:
        return db.session.execute(select(_REVOKED), {"jti": jti}).scalar() is True, None
    revoked, *facts = row
    return bool(revoked), Caller(*facts)
