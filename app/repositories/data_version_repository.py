"""The catalog version (app/models/data_version.py), read to label cached catalog answers."""
from app.extensions import db
from app.models.data_version import CATALOG

# Plain SQL on the session's connection: the read every cached answer pays, without the ORM's statement handling.
_CATALOG_VERSION = f"SELECT version FROM data_versions WHERE id = {CATALOG:d}"


def catalog_version():
    """The catalog's version as the session sees it, or None when the row is missing (nothing is cached then).

    Read before the data it labels, in the same session: a cached answer is never older than its version.
    """
    return db.session.connection().exec_driver_sql(_CATALOG_VERSION).scalar()
