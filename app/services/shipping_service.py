"""Shipping methods: the admin's list of ways to ship, the public quote, and the price the checkout charges."""
from decimal import Decimal

from app import pricing
from app.errors import BadRequest, Conflict, NotFound, ValidationFailed
from app.models import ShippingMethod
from app.repositories import shipping_repository
from app.services import audit_service
from app.services.unit_of_work import lost_race_as, unit_of_work
from app.utils.countries import country_code

FIELDS = ("name", "code", "price", "free_over", "countries", "is_active", "sort_order")


def list_methods():
    return shipping_repository.list_all()


def get_method(method_id):
    return _method(method_id)


def create_method(data, actor):
    """A new method (code already lower-case from the schema); a taken code is a 409."""
    with lost_race_as(_code_taken()), unit_of_work():
        _check_code(data["code"])
        method = shipping_repository.add(ShippingMethod(**data))
        shipping_repository.flush()
        audit_service.record(actor, "shipping_method.create", "shipping_method", method.id,
                             audit_service.diff({}, _snapshot(method)))
    return method


def update_method(method_id, data, actor):
    """Change the given fields; an edit that changes nothing records no audit entry."""
    with lost_race_as(_code_taken()), unit_of_work():
        method = _method(method_id)
        if "code" in data:
            _check_code(data["code"], method.id)
        before = _snapshot(method)
        for field, value in data.items():
            setattr(method, field, value)
        shipping_repository.flush()
        changes = audit_service.diff(before, _snapshot(method))
        if changes:
            audit_service.record(actor, "shipping_method.update", "shipping_method", method.id, changes)
    return method


def delete_method(method_id, actor):
    """Orders keep the code they were shipped with, so a method may go whatever its history."""
    with unit_of_work():
        method = _method(method_id)
        audit_service.record(actor, "shipping_method.delete", "shipping_method", method.id,
                             audit_service.diff(_snapshot(method), {}))
        shipping_repository.delete(method)


def quote(country, subtotal):
    """The active methods shipping to country, by sort_order, each with its price for subtotal."""
    destination = country_code(country)
    if destination is None:
        raise ValidationFailed({"country": ["Unknown country."]})
    subtotal = Decimal(subtotal).quantize(pricing.CENT).copy_abs()  # never -0.00
    quoted = []
    for method in shipping_repository.list_active():
        if method.ships_to(destination):
            price = method.price_for(subtotal)
            quoted.append({"code": method.code, "name": method.name, "price": price, "free_over": method.free_over,
                           "is_free": price == 0})
    return {"country": destination, "subtotal": subtotal, "shipping_methods": quoted}


def checkout_price(code, country, subtotal):
    """(method, price): the active method `code` (any case) shipping to country, priced for subtotal.

    Runs inside the caller's unit of work; BadRequest SHIPPING_UNAVAILABLE when no such method ships there.
    """
    method = shipping_repository.get_by_code(code.lower()) if isinstance(code, str) else None
    destination = country_code(country)
    if method is None or not method.is_active or destination is None or not method.ships_to(destination):
        raise BadRequest(f"Shipping method '{code}' is not available for {country}", code="SHIPPING_UNAVAILABLE")
    return method, method.price_for(subtotal)


def _check_code(code, method_id=None):
    if shipping_repository.code_taken(code, method_id):
        raise _code_taken()


def _code_taken():
    return Conflict("Shipping method code already in use", code="SHIPPING_CODE_TAKEN")


def _snapshot(method):
    return audit_service.snapshot(method, FIELDS)


def _method(method_id):
    method = shipping_repository.get(method_id)
    if method is None:
        raise NotFound("Shipping method not found")
    return method
