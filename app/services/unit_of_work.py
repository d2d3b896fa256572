"""One public service call, one transaction: commit at the end, roll back on any error."""
from contextlib import contextmanager

from app.extensions import db


@contextmanager
def unit_of_work():
    """Yield the session; commit when the block succeeds, roll back when it raises."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
