"""Products as CSV: a streamed export of every product, active or not (a product with variants: a row per variant)."""
import csv
import io

from app.repositories import product_csv_repository
from app.schemas.product_csv import COLUMNS, NO_IMAGE, VARIANT_CELLS, VARIANT_COLUMNS, option_cell

EXPORT_BATCH = 500


def export_products():
    """The CSV of every product, active or not, header first: UTF-8 chunks, one per batch of products.

    With variants in the catalog, the header adds VARIANT_COLUMNS: a product with variants has one row per variant
    (its VARIANT_CELLS the variant's), any other product one row with empty variant cells.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with_variants = product_csv_repository.any_variant()
    writer.writerow(COLUMNS + VARIANT_COLUMNS if with_variants else COLUMNS)
    yield _drain(buffer)
    for batch in product_csv_repository.export_batches(EXPORT_BATCH):
        for row, variants in batch:
            if not variants:
                writer.writerow(_export_row(row) + (["", ""] if with_variants else []))
            writer.writerows(_variant_row(row, variant) for variant in variants)
        yield _drain(buffer)


def _export_row(row):
    return [cell(name, value) for name, value in zip(COLUMNS, row)]


def _variant_row(row, variant):
    values = dict(zip(COLUMNS, row))
    values.update((name, getattr(variant, name)) for name in VARIANT_CELLS)
    return [cell(name, values[name]) for name in COLUMNS] + [variant.sku, option_cell(variant.option_values)]


def cell(name, value):
    """The CSV text of a column's value: empty for null, true / false for booleans."""
    if value is None or (name == "image_url" and value in NO_IMAGE):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")
