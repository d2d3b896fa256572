"""The catalog and stock versions (app/models/data_version.py), read to label cached catalog answers."""
from app.extensions import db
from app.models.data_version import CATALOG, STOCK

# Plain SQL on the session's connection: the read every cached answer pays, without the ORM's statement handling.
_VERSIONS = f"SELECT id, version FROM data_versions WHERE id IN ({CATALOG:d}, {STOCK:d})"


def catalog_and_stock_versions():
    """(catalog version, stock version) as the session sees them, or None when a row is missing (nothing is cached).

    Read before the data they label, in the same session: a cached answer is never older than its versions.
    """
    versions = dict(db.session.connection().exec_driver_sql(_VERSIONS).all())
    return (versions[CATALOG], versions[STOCK]) if len(versions) == 2 else None
