"""The stock ledger: staff adjustments (of a product, or of one variant of a product with options) and the list of
a product's movements."""
from app.enums import StockMovementKind
from app.errors import BadRequest, Conflict, InsufficientStock, NotFound
from app.repositories import stock_movement_repository, stock_repository, variant_repository
from app.services import audit_service, events_service
from app.services.unit_of_work import unit_of_work


def adjust_stock(product_id, actor, delta, reason, variant_id=None):
    """Add delta (+ or -) to a product's stock, or to its variant's, with its reason; returns (movement, the
    product's stock after). A variant's movement has its variant_id and the variant's stock as quantity_after."""
    if variant_id is not None:
        return _adjust_variant(product_id, actor, delta, reason, variant_id)
    with unit_of_work():
        row = stock_repository.adjust(product_id, delta)
        if row is None:
            _refuse(product_id, delta)
        if row.options:
            raise _variant_required(product_id)  # the UPDATE rolls back with the transaction
        before = row.stock_quantity - delta
        movement = stock_movement_repository.add(product_id, StockMovementKind.ADJUSTMENT, delta, row.stock_quantity,
                                                 reason=reason, actor_id=actor.id)
        audit_service.record(actor, "stock.adjust", "product", product_id,
                             {"stock_quantity": [before, row.stock_quantity]})
        events_service.stock_changed(row, before, row.stock_quantity)
    return movement, row.stock_quantity


def list_movements(product_id, page, per_page, variant_id=None):
    """A page of a product's movements (of one of its variants), newest first (404 for an unknown product or
    variant)."""
    product = _product(product_id)
    if variant_id is not None:
        _variant(product, variant_id)
    return stock_movement_repository.page_for_product(product_id, page, per_page, variant_id=variant_id)


def _adjust_variant(product_id, actor, delta, reason, variant_id):
    with unit_of_work():
        stock_repository.hold(product_id)  # lock order: the product, then its variant
        product = _product(product_id)
        variant = _variant(product, variant_id)
        product_before, variant_before = product.stock_quantity, variant.stock_quantity
        variant_after = stock_repository.adjust_variant(variant_id, delta)
        if variant_after is None:
            if delta < 0:
                raise InsufficientStock(f"Insufficient stock for {product.name} ({variant.option_text})",
                                        product_id=product_id, variant_id=variant_id, stock_quantity=variant_before)
            raise Conflict("Stock would exceed the largest storable quantity", code="STOCK_LIMIT",
                           product_id=product_id, variant_id=variant_id)
        product_after = variant_repository.roll_up([product_id])[product_id]
        movement = stock_movement_repository.add(product_id, StockMovementKind.ADJUSTMENT, delta, variant_after,
                                                 reason=reason, actor_id=actor.id, variant_id=variant_id)
        audit_service.record(actor, "stock.adjust", "product", product_id, {
            "variant_id": [None, variant_id], "variant_sku": [None, variant.sku],
            "variant_stock_quantity": [variant_before, variant_after],
            "stock_quantity": [product_before, product_after]})
        events_service.stock_changed(product, product_before, product_after)
    return movement, product_after


def _refuse(product_id, delta):
    product = _product(product_id)
    if product.has_variants:
        raise _variant_required(product_id)
    if delta < 0:
        raise InsufficientStock(f"Insufficient stock for {product.name}", product_id=product.id,
                                stock_quantity=product.stock_quantity)
    raise Conflict("Stock would exceed the largest storable quantity", code="STOCK_LIMIT", product_id=product.id)


def _variant_required(product_id):
    return BadRequest("Choose one of the product's variants", code="VARIANT_REQUIRED", product_id=product_id)


def _product(product_id):
    product = stock_repository.get_product(product_id)
    if product is None:
        raise NotFound("Product not found")
    return product


def _variant(product, variant_id):
    variant = variant_repository.get(product.id, variant_id) if product.has_variants else None
    if variant is None:
        raise NotFound("Variant not found", code="VARIANT_NOT_FOUND")
    return variant
