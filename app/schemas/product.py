"""Product shapes."""
from marshmallow import Schema, fields

from app.schemas.category import CategorySchema
from app.schemas.common import Money


class ProductSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    slug = fields.String()
    description = fields.String(allow_none=True)
    price = Money()
    compare_price = Money(allow_none=True)
    discount_percentage = fields.Decimal(places=2, as_string=False)
    sku = fields.String()
    barcode = fields.String(allow_none=True)
    stock_quantity = fields.Integer()
    is_in_stock = fields.Boolean()
    category_id = fields.Integer()
    weight = Money(allow_none=True)
    dimensions = fields.String(allow_none=True)
    image_url = fields.String(attribute="display_image_url")
    images = fields.Function(lambda product: product.images or [])
    is_active = fields.Boolean()
    is_featured = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ProductWithCategorySchema(ProductSchema):
    category = fields.Nested(CategorySchema)
