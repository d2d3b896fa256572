"""One public service call, one transaction: commit at the end, roll back on any error."""
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

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


@contextmanager
def lost_race_as(conflict):
    """A uniqueness race lost at flush or commit time answers as the check made up front would: with conflict."""
    try:
        yield
    except IntegrityError as error:
        raise conflict from error
