"""The stock ledger: staff adjustments and the list of a product's movements."""
from app.enums import StockMovementKind
from app.errors import Conflict, InsufficientStock, NotFound
from app.repositories import stock_movement_repository, stock_repository
from app.services import audit_service, events_service
from app.services.unit_of_work import unit_of_work


def adjust_stock(product_id, actor, delta, reason):
    """Add delta (+ or -) to a product's stock with its reason; returns (movement, stock after)."""
    with unit_of_work():
        row = stock_repository.adjust(product_id, delta)
        if row is None:
            _refuse(product_id, delta)
        before = row.stock_quantity - delta
        movement = stock_movement_repository.add(product_id, StockMovementKind.ADJUSTMENT, delta, row.stock_quantity,
                                                 reason=reason, actor_id=actor.id)
        audit_service.record(actor, "stock.adjust", "product", product_id,
                             {"stock_quantity": [before, row.stock_quantity]})
        events_service.stock_changed(row, before, row.stock_quantity)
    return movement, row.stock_quantity


def list_movements(product_id, page, per_page):
    """A page of a product's movements, newest first (404 for an unknown product)."""
    _product(product_id)
    return stock_movement_repository.page_for_product(product_id, page, per_page)


def _refuse(product_id, delta):
    product = _product(product_id)
    if delta < 0:
        raise InsufficientStock(f"Insufficient stock for {product.name}", product_id=product.id,
                                stock_quantity=product.stock_quantity)
    raise Conflict("Stock would exceed the largest storable quantity", code="STOCK_LIMIT", product_id=product.id)


def _product(product_id):
    product = stock_repository.get_product(product_id)
    if product is None:
        raise NotFound("Product not found")
    return product
