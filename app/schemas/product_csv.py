"""CSV export and import of products: the upload, the dry_run switch and the import report."""
from marshmallow import Schema, fields, validate

from app.schemas.common import InputSchema

IMPORT_RESULTS = ("created", "updated", "unchanged", "error")
# The file's columns, in order; the export writes them and the import reads them.
COLUMNS = ("name", "sku", "barcode", "price", "compare_price", "stock_quantity", "category_slug", "description",
           "weight", "dimensions", "is_active", "is_featured", "image_url")
# What the reference SPA stored for "no image" (the catalog shows the placeholder): exported as an empty cell.
NO_IMAGE = ("null", "undefined")


class CsvUploadSchema(Schema):
    """multipart/form-data with the CSV file in `file` (and, optionally, a `dry_run` form field)."""

    file = fields.Raw(load_default=None, metadata={"type": "string", "format": "binary"})


class CsvImportArgs(InputSchema):
    """?dry_run=true (or the form field dry_run): validate and report, write nothing."""

    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "true: report what the import would do and write nothing (also accepted as a form field)"})


class ImportRowSchema(Schema):
    row = fields.Integer(metadata={"description": "1-based number of the data record (the header is not counted)"})
    sku = fields.String(allow_none=True)
    result = fields.String(validate=validate.OneOf(IMPORT_RESULTS))
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class ImportTotalsSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    error = fields.Integer()


class ProductImportSchema(Schema):
    """The import report; a real run with row errors (422, nothing written) adds error and code."""

    dry_run = fields.Boolean()
    rows = fields.List(fields.Nested(ImportRowSchema))
    totals = fields.Nested(ImportTotalsSchema)
    error = fields.String(metadata={"description": "Only when the import was rejected (422)"})
    code = fields.String(metadata={"description": "IMPORT_REJECTED, only when the import was rejected (422)"})
