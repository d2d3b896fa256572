"""Cart routes: the cart of the bearer token's account, or of the guest whose X-Cart-Token is sent."""
from copy import deepcopy
from functools import wraps

from flask import current_app, jsonify, request
from flask_jwt_extended import get_current_user, verify_jwt_in_request

from app.extensions import limiter
from app.openapi import Blueprint
from app.schemas.cart import (AddToCartSchema, CartMessageSchema, CartSchema, CartValidationSchema,
                              DiscountCodeSchema, EmptyCartSchema, GuestCartSchema, UpdateCartItemSchema)
from app.services import cart_service
from app.utils.decorators import AUTH_DOC

CART_TOKEN_HEADER = "X-Cart-Token"
CART_TOKEN_SCHEME = {"type": "apiKey", "in": "header", "name": CART_TOKEN_HEADER,
                     "description": "A guest cart's token (POST /api/cart/guest), instead of a bearer token"}
OWNER_DOC = {
    "security": [*AUTH_DOC["security"], {"cartToken": []}],
    "responses": {"401": {"description": "Neither a cart token nor a valid bearer token"},
                  "404": {"description": "Unknown cart token, or its cart was merged or purged (CART_NOT_FOUND)"}},
}


blp = Blueprint("cart", __name__, url_prefix="/api/cart", description="The caller's shopping cart")
CART, EMPTY_CART = CartSchema(), EmptyCartSchema()  # GET /api/cart has two shapes, so the view dumps


def cart_token():
    """The X-Cart-Token header of the request, or None."""
    return request.headers.get(CART_TOKEN_HEADER)


def cart_owner(fn):
    """The view gets the cart's owner first: the bearer token's caller (a token sent must be valid), else the
    guest of the X-Cart-Token header; 401 with neither."""
    @wraps(fn)
    def wrapper(*args, **kwargs):
        token = cart_token()
        if token is None or "Authorization" in request.headers:
            verify_jwt_in_request()
            return fn(get_current_user(), *args, **kwargs)
        return fn(cart_service.guest(token), *args, **kwargs)
    apidoc = deepcopy(getattr(wrapper, "_apidoc", {}))
    manual = apidoc.setdefault("manual_doc", {})
    manual["security"] = OWNER_DOC["security"]
    manual.setdefault("responses", {}).update(OWNER_DOC["responses"])
    wrapper._apidoc = apidoc
    return wrapper


@blp.route("/guest", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_GUEST_CART"])
@blp.response(201, GuestCartSchema)
def create_guest_cart():
    """Open an empty guest cart; its token (shown once) stands in for a bearer token on the cart routes."""
    return {"cart_token": cart_service.create_guest_cart()}


@blp.route("", methods=["GET"])
@cart_owner
@blp.response(200, {"oneOf": [CartSchema, EmptyCartSchema]})
def get_cart(owner):
    """The caller's cart with live prices, or {message, cart: null} when they never had one."""
    cart = cart_service.get_cart(owner)
    return jsonify(CART.dump(cart) if cart is not None else EMPTY_CART.dump({"message": "Cart is empty", "cart": None}))


@blp.route("/items", methods=["POST"])
@cart_owner
@blp.arguments(AddToCartSchema)
@blp.response(200, CartMessageSchema)
def add_item(owner, data):
    """Add a product, or a variant of a product with options, to the cart (its line's quantity grows)."""
    cart = cart_service.add_item(owner, data["product_id"], data["quantity"], data["variant_id"])
    return {"message": "Item added to cart", "cart": cart}


@blp.route("/items/<int:product_id>", methods=["PUT"])
@cart_owner
@blp.arguments(UpdateCartItemSchema)
@blp.response(200, CartMessageSchema)
def update_item(owner, data, product_id):
    """Set the quantity of a product in the cart (of a product with options: the variant form, 400 here)."""
    cart = cart_service.update_item(owner, product_id, data["quantity"])
    return {"message": "Cart item updated", "cart": cart}


@blp.route("/items/<int:product_id>", methods=["DELETE"])
@cart_owner
@blp.response(200, CartMessageSchema)
def remove_item(owner, product_id):
    """Remove a product from the cart (of a product with options: the variant form, 400 here)."""
    cart = cart_service.remove_item(owner, product_id)
    return {"message": "Item removed from cart", "cart": cart}


@blp.route("/items/<int:product_id>/variants/<int:variant_id>", methods=["PUT"])
@cart_owner
@blp.arguments(UpdateCartItemSchema)
@blp.response(200, CartMessageSchema)
def update_variant_item(owner, data, product_id, variant_id):
    """Set the quantity of a variant of a product in the cart."""
    cart = cart_service.update_item(owner, product_id, data["quantity"], variant_id)
    return {"message": "Cart item updated", "cart": cart}


@blp.route("/items/<int:product_id>/variants/<int:variant_id>", methods=["DELETE"])
@cart_owner
@blp.response(200, CartMessageSchema)
def remove_variant_item(owner, product_id, variant_id):
    """Remove a variant of a product from the cart."""
    cart = cart_service.remove_item(owner, product_id, variant_id)
    return {"message": "Item removed from cart", "cart": cart}


@blp.route("/clear", methods=["POST"])
@cart_owner
@blp.response(200, CartMessageSchema)
def clear_cart(owner):
    """Remove every line from the cart."""
    return {"message": "Cart cleared", "cart": cart_service.clear_cart(owner)}


@blp.route("/validate", methods=["GET"])
@cart_owner
@blp.response(200, CartValidationSchema)
@blp.alt_response(400, schema=CartValidationSchema, description="The cart cannot be checked out")
def validate_cart(owner):
    """Whether the cart can be checked out now (400 with the reason when not)."""
    problem = cart_service.checkout_problem(owner)
    if problem:
        return {"valid": False, "message": problem}, 400
    return {"valid": True, "message": "Cart is valid for checkout"}


@blp.route("/discount", methods=["POST"])
@cart_owner
@blp.arguments(DiscountCodeSchema)
@blp.response(200, CartMessageSchema)
def attach_discount(owner, data):
    """Attach a discount code to the cart (400 with DISCOUNT_* codes when it does not apply)."""
    return {"message": "Discount applied", "cart": cart_service.attach_discount(owner, data["code"])}


@blp.route("/discount", methods=["DELETE"])
@cart_owner
@blp.response(200, CartMessageSchema)
def detach_discount(owner):
    """Remove the cart's discount code (also when none is attached)."""
    return {"message": "Discount removed", "cart": cart_service.detach_discount(owner)}
