"""The catalog version (app/models/data_version.py), read to label cached catalog answers."""
from sqlalchemy import select

from app.extensions import db
from app.models.data_version import CATALOG, DataVersion

_CATALOG_VERSION = select(DataVersion.version).where(DataVersion.id == CATALOG)


def catalog_version():
    """The catalog's version as the session sees it, or None when the row is missing (nothing is cached then).

    Read before the data it labels, in the same session: a cached answer is never older than its version.
    """
    return db.session.scalar(_CATALOG_VERSION)
