"""Variants of a product with options: the staff writes, each rolled up onto the product in its own transaction."""
from app.enums import MANAGEMENT_ROLES, EventType, StockMovementKind
from app.errors import Conflict, NotFound, ValidationFailed
from app.models import ProductVariant, StockMovement
from app.models.base import MAX_ID
from app.models.product_variant import MAX_VARIANTS, option_key
from app.repositories import product_repository, stock_movement_repository, stock_repository, variant_repository
from app.services import audit_service, events_service
from app.services.unit_of_work import lost_race_as, unit_of_work


def list_variants(product_id, viewer=None):
    """{"options", "variants"}: the active variants of an active product for the public, every one for management."""
    staff = viewer is not None and viewer.role in MANAGEMENT_ROLES
    product = product_repository.get(product_id) if staff else product_repository.get_active(product_id)
    if product is None:
        raise NotFound("Product not found")
    variants = variant_repository.for_product(product_id, active_only=not staff) if product.has_variants else []
    return {"options": product.option_list, "variants": variants}


def create_variant(product_id, data, actor):
    """Add a variant: a free combination of one value per option, a SKU and barcode no product or variant has."""
    with lost_race_as(identity_taken()), unit_of_work():
        product = _held_product(product_id)
        if not product.has_variants:
            raise Conflict("This product has no options: give it options before adding variants",
                           code="PRODUCT_HAS_NO_OPTIONS")
        if variant_repository.count_for_product(product_id) >= MAX_VARIANTS:
            raise Conflict(f"A product has at most {MAX_VARIANTS} variants", code="VARIANT_LIMIT")
        values = option_values(product, data.pop("options"))
        _check_combination(product_id, values)
        check_identity(data["sku"], data.get("barcode"))
        data.setdefault("price", product.price)
        _check_prices(data["price"], data.get("compare_price"))
        stock_before = product.stock_quantity
        variant = variant_repository.add(ProductVariant(product_id=product_id, option_values=values,
                                                        option_key=option_key(values), **data))
        if variant.stock_quantity > 0:
            _ledger(variant, StockMovementKind.INITIAL, variant.stock_quantity, actor)
        audit_service.record(actor, "variant.create", "product_variant", variant.id,
                             audit_service.diff({}, _snapshot(variant)))
        _roll_up(product, stock_before)
    return variant


def update_variant(product_id, variant_id, data, actor):
    """Change the given fields of a variant; its product's price and stock follow in the same transaction."""
    with lost_race_as(identity_taken()), unit_of_work():
        product = _held_product(product_id)
        variant = _variant(product_id, variant_id)
        if "options" in data:
            values = option_values(product, data.pop("options"))
            if option_key(values) != variant.option_key:
                _check_combination(product_id, values, exclude_id=variant.id)
            data["option_values"], data["option_key"] = values, option_key(values)
        check_identity(data.get("sku") if data.get("sku") != variant.sku else None,
                       data.get("barcode") if data.get("barcode") != variant.barcode else None,
                       exclude_variant=variant.id)
        if "price" in data or "compare_price" in data:
            _check_prices(data.get("price", variant.price),
                          data["compare_price"] if "compare_price" in data else variant.compare_price)
        before, stock_before, variant_stock = _snapshot(variant), product.stock_quantity, variant.stock_quantity
        for field, value in data.items():
            setattr(variant, field, value)
        variant_repository.flush()
        if variant.stock_quantity != variant_stock:
            _ledger(variant, StockMovementKind.EDIT, variant.stock_quantity - variant_stock, actor)
        changes = audit_service.diff(before, _snapshot(variant))
        if changes:
            audit_service.record(actor, "variant.update", "product_variant", variant.id, changes)
        _roll_up(product, stock_before)
    return variant


def delete_variant(product_id, variant_id, actor):
    """Soft delete: the variant leaves the shop (and the product's rollup) but stays in order history."""
    with unit_of_work():
        product = _held_product(product_id)
        variant = _variant(product_id, variant_id)
        stock_before = product.stock_quantity
        if variant.is_active:
            audit_service.record(actor, "variant.delete", "product_variant", variant.id, {"is_active": [True, False]})
        variant.is_active = False
        variant_repository.flush()
        _roll_up(product, stock_before)


def change_options(product, options):
    """Check new options (None: none) against every variant, active or not, and keep their values in option order.

    Adding values or reordering is free; an option added or removed, or a value a variant uses removed, is a 409.
    """
    variants = variant_repository.for_product(product.id) if product.has_variants else []
    if not options:
        if variants:
            raise _options_in_use("A product with variants keeps its options (variants are soft-deleted, never removed)")
        return
    allowed = {option["name"]: set(option["values"]) for option in options}
    for variant in variants:
        values = variant.option_values
        if set(values) != set(allowed) or any(value not in allowed[name] for name, value in values.items()):
            raise _options_in_use(f"Variant {variant.sku} needs exactly one of the new values for each option")
    for variant in variants:
        ordered = {option["name"]: variant.option_values[option["name"]] for option in options}
        if list(ordered) != list(variant.option_values):
            variant_repository.set_option_values(variant, ordered)


def option_values(product, given):
    """{option name: value} in the product's option order, one valid value per option; else a 400 naming each."""
    options = product.option_list
    errors = {name: ["Unknown option"] for name in given if name not in {option["name"] for option in options}}
    for option in options:
        value = given.get(option["name"])
        if value is None:
            errors[option["name"]] = ["Missing value for this option"]
        elif value not in option["values"]:
            errors[option["name"]] = [f"Must be one of: {', '.join(option['values'])}."]
    if errors:
        raise ValidationFailed({"options": errors})
    return {option["name"]: given[option["name"]] for option in options}


def check_identity(sku, barcode, *, exclude_product=None, exclude_variant=None):
    """A SKU and a barcode are unique across products and variants together (None: not checked)."""
    if sku is not None and (product_repository.sku_taken(sku, exclude_product)
                            or variant_repository.sku_taken(sku, exclude_variant)):
        raise Conflict("SKU already exists", details={"sku": ["SKU already exists"]})
    if barcode is not None and (product_repository.barcode_taken(barcode, exclude_product)
                                or variant_repository.barcode_taken(barcode, exclude_variant)):
        raise Conflict("Barcode already exists", details={"barcode": ["Barcode already exists"]})


def identity_taken():
    """The 409 of a SKU, barcode or combination that another variant took in a race."""
    return Conflict("A variant with this SKU, barcode or combination of options already exists")


def _held_product(product_id):
    # The product row first: one product's variant writes run one at a time, in the lock order of checkout.
    stock_repository.hold(product_id)
    product = product_repository.get(product_id) if 0 < product_id <= MAX_ID else None
    if product is None:
        raise NotFound("Product not found")
    return product


def _variant(product_id, variant_id):
    variant = variant_repository.get(product_id, variant_id)
    if variant is None:
        raise NotFound("Variant not found")
    return variant


def _options_in_use(message):
    return Conflict(message, code="OPTIONS_IN_USE")


def _check_combination(product_id, values, exclude_id=None):
    if variant_repository.options_taken(product_id, option_key(values), exclude_id):
        raise Conflict("Another variant of this product has these options", code="VARIANT_OPTIONS_TAKEN",
                       details={"options": ["Another variant of this product has these options"]})


def _check_prices(price, compare):
    if compare is not None and compare <= price:
        message = "Compare price must be greater than price"
        raise ValidationFailed({"compare_price": [message]}, message)


def _ledger(variant, kind, delta, actor):
    stock_movement_repository.add_all([StockMovement(
        product_id=variant.product_id, variant_id=variant.id, kind=kind, delta=delta,
        quantity_after=variant.stock_quantity, actor_id=actor.id)])


def _roll_up(product, stock_before):
    """The product's price and stock from its active variants; its update event, and stock.low when it falls."""
    variant_repository.roll_up([product.id])
    variant_repository.reload_rollup(product)
    variant_repository.attach([product], active_only=False)
    events_service.product_event(EventType.PRODUCT_UPDATED, product)
    events_service.stock_changed(product, stock_before, product.stock_quantity)


def _snapshot(variant):
    return audit_service.snapshot(variant, audit_service.VARIANT_FIELDS)
