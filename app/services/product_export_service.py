"""Products as CSV: a streamed export of every product, active or not."""
import csv
import io

from app.repositories import product_csv_repository
from app.schemas.product_csv import COLUMNS, NO_IMAGE

EXPORT_BATCH = 500


def export_products():
    """The CSV of every product, active or not, header first: UTF-8 chunks, one per batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield _drain(buffer)
    for batch in product_csv_repository.export_batches(EXPORT_BATCH):
        writer.writerows(_export_row(row) for row in batch)
        yield _drain(buffer)


def _export_row(row):
    return [cell(name, value) for name, value in zip(COLUMNS, row)]


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
