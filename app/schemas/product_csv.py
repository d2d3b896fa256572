"""CSV export and import of products: the file's columns, the upload, the dry_run switch and the import report."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models.product_variant import VARIANT_MAX_STOCK
from app.schemas.common import BlankToNoneMixin, InputSchema, WholeNumber
from app.schemas.catalog_fields import Amount

IMPORT_RESULTS = ("created", "updated", "unchanged", "error")
# The file's columns, in order; the export writes them and the import reads them.
COLUMNS = ("name", "sku", "barcode", "price", "compare_price", "stock_quantity", "category_slug", "description",
           "weight", "dimensions", "is_active", "is_featured", "image_url")
# Written after COLUMNS when the catalog has variants: a product with variants has one row per variant, whose
# VARIANT_CELLS are the variant's own (the other columns repeat the product's).
VARIANT_COLUMNS = ("variant_sku", "variant_options")
VARIANT_CELLS = ("barcode", "price", "compare_price", "stock_quantity", "weight", "is_active")
# What the reference SPA stored for "no image" (the catalog shows the placeholder): exported as an empty cell.
NO_IMAGE = ("null", "undefined")


def option_cell(option_values):
    """The variant_options cell of a variant: "size=M; colour=Blue" (in the product's option order)."""
    return "; ".join(f"{name}={value}" for name, value in option_values.items())


class VariantCellsSchema(BlankToNoneMixin, InputSchema):
    """The variant's cells of a CSV row naming a variant_sku: what an import may change on the variant."""

    BLANK_AS_NONE = ("barcode", "compare_price", "weight")

    barcode = fields.String(allow_none=True, validate=validate.Length(min=1, max=100))
    price = Amount(exclusive=True)
    compare_price = Amount(exclusive=True, allow_none=True)
    stock_quantity = WholeNumber(validate=validate.Range(min=0, max=VARIANT_MAX_STOCK))
    weight = Amount(allow_none=True)
    is_active = fields.Boolean()

    @validates_schema
    def compare_price_above_price(self, data, **kwargs):
        price, compare = data.get("price"), data.get("compare_price")
        if price is not None and compare is not None and compare <= price:
            raise ValidationError("Compare price must be greater than price", "compare_price")


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
    variant_sku = fields.String(metadata={"description": "Only on a row naming a variant"})
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
