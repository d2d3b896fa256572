"""Catalog products: listing, reading, and the manager / admin writes."""


from app.enums import MANAGEMENT_ROLES, EventType, StockMovementKind, UserRole
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.catalog_cache import catalog_memo
from app.models import Product
from app.repositories import (category_repository, product_repository, stock_movement_repository, stock_repository,
                              variant_repository)
from app.services import audit_service, events_service, search_service, variant_service
from app.services.unit_of_work import lost_race_as, unit_of_work

PAGING_ARGS = ("page", "per_page", "after", "sort")
HOLDS_NO_STOCK = "A product with options holds no stock of its own: add stock to its variants"
VARIANT_MANAGED = ("Price and stock of a product with options are its variants': change them at "
                   "/api/products/<id>/variants")


def list_products(args):
    """A page of active products for the query arguments of ProductQueryArgs (by page number or after a cursor)."""
    args = search_service.with_search(args)
    if args["sort"] == "relevance":  # a q search by page number (ProductQueryArgs refuses `after` with relevance)
        return _with_variants(product_repository.search_page(args, page=args["page"], per_page=args["per_page"]))
    total = _total(args)
    if args.get("after") is not None:
        page = product_repository.list_after(args, args["after"], per_page=args["per_page"], total=total)
    else:
        page = product_repository.list_page(args, page=args["page"], per_page=args["per_page"], total=total)
    return _with_variants(page)


def _with_variants(page):
    variant_repository.attach(page.items, active_only=True)
    return page


def _total(filters):
    """The number of matches: every page of one filter shares it."""
    return _count(tuple(sorted((name, value) for name, value in filters.items() if name not in PAGING_ARGS)))


@catalog_memo
def _count(filter_items):
    """Counting is the part of a list that grows with the catalog (a full scan for a name search)."""
    return product_repository.count(dict(filter_items))


def get_product(product_id, viewer=None):
    """One product: active only for the public, any for management."""
    sees_inactive = viewer is not None and viewer.role in MANAGEMENT_ROLES
    product = product_repository.get(product_id) if sees_inactive else product_repository.get_active(product_id)
    if product is None:
        raise NotFound("Product not found")
    return variant_repository.attach([product], active_only=not sees_inactive)[0]


def create_product(data, actor):
    """Add a product in an active category with a unique SKU, barcode and slug."""
    _guard_activation(actor, data.get("is_active", True), current=True)
    if data.get("options") and data["stock_quantity"] != 0:
        raise ValidationFailed({"stock_quantity": [HOLDS_NO_STOCK]}, HOLDS_NO_STOCK)
    with lost_race_as(identity_taken()), unit_of_work():
        _check_category(data["category_id"])
        variant_service.check_identity(data["sku"], data.get("barcode"))
        product = Product(**data, slug=product_repository.free_product_slug(data["name"]))
        product_repository.add(product)
        product_repository.flush()  # the id, for the ledger and the audit log
        if product.stock_quantity > 0:
            stock_movement_repository.add(product.id, StockMovementKind.INITIAL, product.stock_quantity,
                                          product.stock_quantity, actor_id=actor.id)
        audit_service.record(actor, "product.create", "product", product.id,
                             audit_service.diff({}, audit_service.snapshot(product, audit_service.PRODUCT_FIELDS)))
        variant_repository.attach([product], active_only=False)
        events_service.product_event(EventType.PRODUCT_CREATED, product)
    return product


def update_product(product_id, data, actor):
    """Change the given fields of a product (active or not); a new name gets a new slug."""
    with lost_race_as(identity_taken()), unit_of_work():
        if "stock_quantity" in data or "options" in data:
            # Held before it is read: the ledger's delta is against the stock this edit replaces, not a copy read
            # before a concurrent sale or adjustment committed (and options change with no variant write between).
            stock_repository.hold(product_id)
        product = product_repository.get(product_id)
        if product is None:
            raise NotFound("Product not found")
        _guard_activation(actor, data.get("is_active", product.is_active), current=product.is_active)
        if data.get("category_id", product.category_id) != product.category_id:
            _check_category(data["category_id"])
        variant_service.check_identity(data.get("sku") if data.get("sku") != product.sku else None,
                                       data.get("barcode") if data.get("barcode") != product.barcode else None,
                                       exclude_product=product.id)
        _check_prices(product, data)
        had_options, options = product.has_variants, data.get("options", product.options)
        if options:
            _check_variant_managed(product, data, had_options)
        if "options" in data:
            variant_service.change_options(product, options)
        if "name" in data and data["name"] != product.name:
            product.slug = product_repository.free_product_slug(data["name"], current=product.slug)
        before = audit_service.snapshot(product, audit_service.PRODUCT_FIELDS)
        stock_before = product.stock_quantity
        for field, value in data.items():
            setattr(product, field, value)
        moves_to_variants = bool(options) and not had_options and product.stock_quantity > 0
        if moves_to_variants:  # until variants come: the product's stock is theirs from now on
            product.stock_quantity = 0
        product_repository.flush()  # updated_at and the new values, as the event tells them
        if product.stock_quantity != stock_before:
            stock_movement_repository.add(product.id, StockMovementKind.EDIT, product.stock_quantity - stock_before,
                                          product.stock_quantity, actor_id=actor.id,
                                          reason="stock moves to variants" if moves_to_variants else None)
        changes = audit_service.diff(before, audit_service.snapshot(product, audit_service.PRODUCT_FIELDS))
        if changes:
            audit_service.record(actor, "product.update", "product", product.id, changes)
        variant_repository.attach([product], active_only=False)
        events_service.product_event(EventType.PRODUCT_UPDATED, product)
        events_service.stock_changed(product, stock_before, product.stock_quantity)
    return product


def delete_product(product_id, actor):
    """Soft delete: the product leaves the catalog but stays in carts' history and orders."""
    with unit_of_work():
        product = product_repository.get(product_id)
        if product is None:
            raise NotFound("Product not found")
        if product.is_active:
            audit_service.record(actor, "product.delete", "product", product.id, {"is_active": [True, False]})
        product.is_active = False
        product_repository.flush()
        events_service.product_event(EventType.PRODUCT_DELETED, product)


def _guard_activation(actor, wanted, current):
    # Deactivating is deleting, which the matrix gives to admins only; so is bringing a product back.
    if wanted != current and actor.role != UserRole.ADMIN:
        raise Forbidden("Only an admin can activate or deactivate a product", your_role=actor.role)


def _check_category(category_id):
    category = category_repository.get(category_id)
    if category is None:
        raise ValidationFailed({"category_id": ["Category not found"]}, "Category not found")
    if not category.is_active:
        raise ValidationFailed({"category_id": ["Category is not active"]}, "Category is not active")


def _check_variant_managed(product, data, had_options):
    """A product with options takes its stock (and, once it had them, its price) from its variants: same values only."""
    fields = ("price", "stock_quantity") if had_options else ("stock_quantity",)
    for field in fields:
        if field in data and data[field] != getattr(product, field):
            raise Conflict(VARIANT_MANAGED, code="VARIANT_MANAGED")
        data.pop(field, None)  # the SPA sends the whole form back: equal values change nothing


def _check_prices(product, data):
    if "price" not in data and "compare_price" not in data:
        return
    price = data.get("price", product.price)
    compare = data["compare_price"] if "compare_price" in data else product.compare_price
    if compare is not None and compare <= price:
        message = "Compare price must be greater than price"
        raise ValidationFailed({"compare_price": [message]}, message)


def identity_taken():
    """The 409 of a SKU, barcode or name that another product holds."""
    return Conflict("A product with this SKU, barcode or name already exists")
