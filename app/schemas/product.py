"""Product shapes: the [COMPAT] output, the create / update bodies and the list query string."""
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from app.models.base import MAX_ID
from app.schemas.category import CategorySchema
from app.schemas.catalog_fields import Amount, ImageUrl, Name, Sku, money_value
from app.schemas.common import BlankToNoneMixin, Flag, InputSchema, Moment, Money, Number, Text, WholeNumber
from app.schemas.variant import Options, OptionSchema, VariantSchema
from app.utils.pagination import PageArgs, page_schema

SEARCH_TYPES = ("id", "sku", "slug", "barcode", "category_id", "name")
SORTS = ("relevance", "price", "-price", "name", "-name", "created_at", "-created_at")
MAX_QUERY = 200
STAFF_SORTS = (*SORTS, "stock", "-stock")




class ProductSchema(Schema):
    id = Number()
    name = Text()
    slug = Text()
    description = Text(allow_none=True)
    price = Money()
    compare_price = Money(allow_none=True)
    discount_percentage = Money()
    sku = Text()
    barcode = Text(allow_none=True)
    stock_quantity = Number()
    is_in_stock = Flag()
    category_id = Number()
    weight = Money(allow_none=True)
    dimensions = Text(allow_none=True)
    image_url = Text(attribute="display_image_url")
    images = fields.Function(lambda product: product.images or [])
    is_active = Flag()
    is_featured = Flag()
    created_at = Moment()
    updated_at = Moment()
    options = fields.List(fields.Nested(OptionSchema), attribute="option_list", metadata={
        "description": "[] for a product sold as one item; its options, in order, for one sold by variant"})
    variants = fields.List(fields.Nested(VariantSchema), attribute="listed_variants", metadata={
        "description": "Active variants for the public, all for managers and admins; [] without options"})


class ProductWithCategorySchema(ProductSchema):
    category = fields.Nested(CategorySchema)


class ProductPageSchema(page_schema("ProductPageBase", "products", ProductSchema)):
    current_page = fields.Integer(allow_none=True, metadata={"description": "null when paging by cursor"})
    next_cursor = fields.String(allow_none=True, metadata={
        "description": "Only when `after` was given: pass it as `after` for the next page (null on the last page)."})


ProductPageSchema.__name__ = "ProductPage"


class ProductUpdateSchema(BlankToNoneMixin, InputSchema):
    """PUT /api/products/<id>: any subset; id, slug and timestamps are server-owned and never loaded."""

    BLANK_AS_NONE = ("barcode", "image_url", "dimensions", "compare_price", "weight")

    name = Name()
    description = fields.String(allow_none=True, validate=validate.Length(max=10_000))
    price = Amount(exclusive=True)
    compare_price = Amount(exclusive=True, allow_none=True)
    sku = Sku()
    barcode = fields.String(allow_none=True, validate=validate.Length(max=100))
    stock_quantity = WholeNumber(validate=validate.Range(min=0, max=MAX_ID))
    category_id = WholeNumber(validate=validate.Range(min=1, max=MAX_ID))
    weight = Amount(allow_none=True)
    dimensions = fields.String(allow_none=True, validate=validate.Length(max=100))
    image_url = ImageUrl(allow_none=True)
    images = fields.List(ImageUrl(), allow_none=True, validate=validate.Length(max=20))
    is_active = fields.Boolean()
    is_featured = fields.Boolean()
    options = Options()

    @pre_load
    def zero_compare_price_is_none(self, data, **kwargs):
        """The reference stored a falsy compare_price as "no compare price"; forms send 0 for an empty input."""
        if isinstance(data, dict) and data.get("compare_price") in (0, "0") and data["compare_price"] is not False:
            data = {**data, "compare_price": None}
        return data

    @validates_schema
    def compare_price_above_price(self, data, **kwargs):
        price, compare = data.get("price"), data.get("compare_price")
        if price is not None and compare is not None and compare <= price:
            raise ValidationError("Compare price must be greater than price", "compare_price")


class ProductCreateSchema(ProductUpdateSchema):
    """POST /api/products/add."""

    name = Name(required=True)
    price = Amount(exclusive=True, required=True)
    sku = Sku(required=True)
    stock_quantity = WholeNumber(required=True, validate=validate.Range(min=0, max=MAX_ID))
    category_id = WholeNumber(required=True, validate=validate.Range(min=1, max=MAX_ID))


class ProductQueryArgs(PageArgs):
    """GET /api/products query string; a bad value is a 400 naming the parameter."""

    page = fields.Integer(load_default=1, validate=validate.Range(max=1_000_000))
    category_id = fields.Integer(validate=validate.Range(min=0, max=MAX_ID))
    include_subcategories = fields.Boolean(load_default=False)
    featured = fields.Boolean()
    in_stock = fields.Boolean()
    search_type = fields.String(validate=validate.Length(max=20))
    search_value = fields.String(validate=validate.Length(max=200))
    q = fields.String(validate=validate.Length(max=MAX_QUERY), metadata={"description": (
        "Full-text search over name, description, SKU, barcode and category name; an exact SKU or barcode "
        "comes first, then name matches, then the rest; one typo is forgiven in words of 5+ letters.")})
    sort = fields.String(validate=validate.OneOf(SORTS), metadata={
        "description": "Default: relevance with q, -created_at without (relevance without q is -created_at)"})
    min_price = fields.Decimal(allow_nan=False, validate=money_value())
    max_price = fields.Decimal(allow_nan=False, validate=money_value())
    after = fields.String(validate=validate.Length(max=500), metadata={"description": (
        "Keyset pagination for deep pages: empty for the first page, then the previous page's next_cursor. "
        "With `after`, `page` is ignored, current_page is null and the answer adds next_cursor.")})

    @validates_schema
    def check_search_and_prices(self, data, **kwargs):
        search_type, value = data.get("search_type"), data.get("search_value")
        if search_type and search_type not in SEARCH_TYPES:
            raise ValidationError(f"Must be one of: {', '.join(SEARCH_TYPES)}.", "search_type")
        if search_type in ("id", "category_id") and value:
            if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
                raise ValidationError(f"Must be a whole number for search_type {search_type}.", "search_value")
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise ValidationError("Must not be greater than max_price.", "min_price")
        searching = bool((data.get("q") or "").strip())
        if data.get("after") is not None and searching and data.get("sort", "relevance") == "relevance":
            raise ValidationError("Relevance order pages by number: use page, or another sort.", "after")

    @post_load
    def search_and_sort(self, data, **kwargs):
        """A blank q is no search; relevance is the default order of a search and means nothing without one."""
        q = (data.pop("q", None) or "").strip()
        if q:
            data["q"] = q
        sort = data.get("sort")
        if sort is None or (sort == "relevance" and not q):
            data["sort"] = "relevance" if q and sort is None else "-created_at"
        return data


class StaffProductQueryArgs(ProductQueryArgs):
    """GET /api/products/admin: the public filters over every product, plus activity and stock filters."""

    is_active = fields.Boolean(load_default=None, metadata={"description": "Omitted: active and inactive products"})
    low_stock = fields.Boolean(metadata={
        "description": "true: stock at or below LOW_STOCK_THRESHOLD; false: above it"})
    stock_max = fields.Integer(validate=validate.Range(min=0, max=MAX_ID))
    sort = fields.String(validate=validate.OneOf(STAFF_SORTS))


class ImageUploadSchema(Schema):
    """multipart/form-data with the image in `file`."""

    file = fields.Raw(load_default=None, metadata={"type": "string", "format": "binary"})


class ImageUrlSchema(Schema):
    url = fields.String()
