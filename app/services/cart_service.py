"""The caller's cart: one per customer profile, lines of 1 to 100 units, prices read live."""
from app.errors import Conflict, InsufficientStock, NotFound
from app.repositories import cart_repository, customer_repository, stock_repository
from app.schemas.cart import MAX_QUANTITY
from app.services.unit_of_work import unit_of_work


def get_cart(caller):
    """The caller's cart with lines and products, or None when they never had one."""
    return cart_repository.get_for_customer(caller.customer_id) if caller.customer_id else None


def customer_id_of(caller):
    """The caller's customer profile id; the profile is added (not committed) on first use."""
    return caller.customer_id or customer_repository.add_for_user(caller.id).id


def add_item(caller, product_id, quantity):
    """Add quantity of a product (to its line if there is one); returns the cart."""
    with unit_of_work():
        customer_id = customer_id_of(caller)
        cart = cart_repository.lock_or_add_for_customer(customer_id)
        product = _available_product(product_id)
        line = _line(cart, product_id)
        in_cart = line.quantity if line else 0
        if product.stock_quantity < quantity:
            raise InsufficientStock(f"Only {product.stock_quantity} item(s) available in stock")
        if in_cart + quantity > product.stock_quantity:
            raise InsufficientStock(f"Cannot add {quantity}. Cart already has {in_cart}. "
                                    f"Only {product.stock_quantity} available in stock.")
        if in_cart + quantity > MAX_QUANTITY:
            raise InsufficientStock(f"Maximum {MAX_QUANTITY} items per product")
        if line:
            line.quantity += quantity
        else:
            cart_repository.add_line(cart, product, quantity)
    return cart


def update_item(caller, product_id, quantity):
    """Set the absolute quantity of a product's line; returns the cart."""
    with unit_of_work():
        cart = _locked_cart(caller)
        line = _line(cart, product_id)
        if line is None:
            raise NotFound("Item not in cart")
        product = _available_product(product_id)
        if product.stock_quantity < quantity:
            raise InsufficientStock(f"Only {product.stock_quantity} item(s) available in stock")
        line.quantity = quantity
    return cart


def remove_item(caller, product_id):
    """Remove a product's line; returns the cart."""
    with unit_of_work():
        cart = _locked_cart(caller)
        line = _line(cart, product_id)
        if line is None:
            raise NotFound("Item not in cart")
        cart.items.remove(line)
    return cart


def clear_cart(caller):
    """Delete every line but keep the cart; returns it, or None when there is no cart."""
    if caller.customer_id is None:
        return None
    with unit_of_work():
        cart = cart_repository.lock_for_customer(caller.customer_id)
        if cart is None:
            return None
        cart.items.clear()
    return cart


def checkout_problem(caller):
    """Why the cart cannot be checked out now, or None when it can."""
    cart = get_cart(caller)
    if cart is None or not cart.items:
        return "Cart is empty"
    for line in cart.items:
        if not line.product.is_active:
            return f"Product '{line.product.name}' is no longer available"
        if line.product.stock_quantity < line.quantity:
            return (f"Insufficient stock for '{line.product.name}'. "
                    f"Only {line.product.stock_quantity} available, but cart has {line.quantity}")
    return None


def _locked_cart(caller):
    cart = cart_repository.lock_for_customer(caller.customer_id) if caller.customer_id else None
    if cart is None:
        raise NotFound("Item not in cart")
    return cart


def _available_product(product_id):
    product = stock_repository.get_product(product_id)
    if product is None:
        raise NotFound("Product not found")
    if not product.is_active:
        raise Conflict("Product is not available", code="PRODUCT_UNAVAILABLE")
    return product


def _line(cart, product_id):
    return next((line for line in cart.items if line.product_id == product_id), None)
