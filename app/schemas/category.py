"""Category shapes: the [COMPAT] output, the tree entries, and the create / update / reorder bodies."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models.base import MAX_ID
from app.schemas.common import BlankToNoneMixin, Flag, InputSchema, Moment, Number, Text, WholeNumber, not_blank



class CategorySchema(Schema):
    id = Number()
    name = Text()
    slug = Text()
    description = Text(allow_none=True)
    parent_id = Number(allow_none=True)
    is_active = Flag()
    created_at = Moment()
    updated_at = Moment()


class CategoryTreeSchema(CategorySchema):
    """A category with its direct children (plain) and the number of its products, inactive ones included."""

    children = fields.List(fields.Nested(CategorySchema))
    products_count = Number()


class CategoryListSchema(Schema):
    categories = fields.List(fields.Nested(CategoryTreeSchema))


class CategoryMessageSchema(Schema):
    message = fields.String()
    category = fields.Nested(CategorySchema)


class CategoryListArgs(Schema):
    parent_only = fields.Boolean(load_default=False)


def CategoryId(**kwargs):
    """An id given as a number or a numeric string (the SPA sends <select> values as strings)."""
    return WholeNumber(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class CategoryUpdateSchema(BlankToNoneMixin, InputSchema):
    """PUT /api/categories/<id>; id, slug, position and timestamps are server-owned."""

    BLANK_AS_NONE = ("parent_id",)

    name = fields.String(validate=[validate.Length(min=1, max=100), not_blank])
    description = fields.String(allow_none=True, validate=validate.Length(max=5_000))
    parent_id = CategoryId(allow_none=True)
    is_active = fields.Boolean()


class CategoryCreateSchema(CategoryUpdateSchema):
    """POST /api/categories and /api/categories/<parent_id>/subcategory."""

    name = fields.String(required=True, validate=[validate.Length(min=1, max=100), not_blank])


class ReorderEntrySchema(InputSchema):
    id = CategoryId(required=True)
    parent_id = CategoryId(allow_none=True)
    position = fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_ID))


class ReorderSchema(InputSchema):
    """PUT /api/categories/reorder: applied all together or not at all."""

    updates = fields.List(fields.Nested(ReorderEntrySchema), required=True,
                          validate=validate.Length(min=1, max=1_000, error="No updates provided"))

    @validates_schema
    def each_category_once(self, data, **kwargs):
        ids = [entry["id"] for entry in data["updates"]]
        if len(ids) != len(set(ids)):
            raise ValidationError("A category may appear only once.", "updates")
