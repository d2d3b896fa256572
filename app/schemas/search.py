"""Search shapes: the facets query string (the list's filters) and the facets answer."""
from marshmallow import Schema, fields

from app.schemas.common import Money, Number, Text
from app.schemas.product import ProductQueryArgs


class ProductFacetArgs(ProductQueryArgs):
    """GET /api/products/facets: the filters of GET /api/products, without paging and order."""

    class Meta:
        exclude = ("page", "per_page", "sort", "after")


class CategoryFacetSchema(Schema):
    id = Number()
    name = Text()
    count = Number()


class PriceRangeSchema(Schema):
    min = Money(allow_none=True, metadata={"description": "null when nothing matches"})
    max = Money(allow_none=True, metadata={"description": "null when nothing matches"})


class ProductFacetsSchema(Schema):
    categories = fields.List(fields.Nested(CategoryFacetSchema), metadata={
        "description": "Categories of the matching products, the largest count first"})
    in_stock = Number(metadata={"description": "How many matching products are in stock"})
    price = fields.Nested(PriceRangeSchema)
    total = Number(metadata={"description": "How many active products match"})
    options = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()),
                          metadata={"description": "{option name: {value: how many matching products have an active "
                                                   "variant with it}}; empty when none has variants"})
