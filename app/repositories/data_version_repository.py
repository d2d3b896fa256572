"""The catalog and stock versions (app/models/data_version.py) and the stock of the rows a stored answer shows: what
labels and validates cached catalog answers, read in one statement."""
from dataclasses import dataclass

from sqlalchemy import bindparam, literal_column, null, select, union_all

from app.extensions import db
from app.models import DataVersion, Product, ProductVariant
from app.models.data_version import CATALOG, STOCK


@dataclass(frozen=True, slots=True)
class CatalogState:
    catalog: int
    stock: int
    shown: dict  # {(table, id): (stock_quantity, updated_at)}


def _shown(model, ids):
    return (select(literal_column(f"'{model.__tablename__}'"), model.id, model.stock_quantity, model.updated_at)
            .where(model.id.in_(bindparam(ids, expanding=True))))


_VERSIONS = select(literal_column(f"'{DataVersion.__tablename__}'"), DataVersion.id, DataVersion.version, null()) \
    .where(DataVersion.id.in_((CATALOG, STOCK)))
_PRODUCTS, _VARIANTS = _shown(Product, "product_ids"), _shown(ProductVariant, "variant_ids")
# Built once, one per kind of rows a stored answer shows (PostgreSQL plans every statement it is sent: a read that
# shows no variant does not plan their part). Rows first: the union takes its column types (updated_at's) from them.
_STATES = {(False, False): _VERSIONS, (True, False): union_all(_PRODUCTS, _VERSIONS),
           (False, True): union_all(_VARIANTS, _VERSIONS), (True, True): union_all(_PRODUCTS, _VARIANTS, _VERSIONS)}


def catalog_state(rows):
    """The versions and {(table, id): (stock_quantity, updated_at)} of ("products" | "product_variants", id) rows, as
    the session sees them; None when a version row is missing (nothing is cached then).

    Read before the data they label, in the same session: a cached answer is never older than its versions.
    """
    ids = {"product_ids": [], "variant_ids": []}
    for table, row_id in rows:
        ids["product_ids" if table == Product.__tablename__ else "variant_ids"].append(row_id)
    ids = {name: values for name, values in ids.items() if values}
    statement = _STATES[("product_ids" in ids, "variant_ids" in ids)]
    versions, shown = {}, {}
    for table, row_id, value, updated_at in db.session.connection().execute(statement, ids):
        if table == DataVersion.__tablename__:
            versions[row_id] = value
        else:
            shown[(table, row_id)] = (value, updated_at)
    if len(versions) != 2:
        return None
    return CatalogState(versions[CATALOG], versions[STOCK], shown)
