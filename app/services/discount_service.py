"""Discount codes: the admin's audited CRUD, and the rules a code must pass to apply to a subtotal."""
from datetime import timezone

from app.enums import DiscountKind
from app.errors import BadRequest, Conflict, NotFound, ValidationFailed
from app.models import Discount
from app.models.base import utcnow
from app.repositories import discount_repository
from app.services import audit_service
from app.services.unit_of_work import lost_race_as, unit_of_work
from app.utils.pagination import page_result

FIELDS = ("code", "kind", "value", "min_subtotal", "starts_at", "ends_at", "usage_limit", "per_customer_limit",
          "is_active")
MAX_PERCENT = 100
REFUSALS = {"DISCOUNT_UNKNOWN": "Unknown discount code",
            "DISCOUNT_NOT_STARTED": "This discount code is not valid yet",
            "DISCOUNT_EXPIRED": "This discount code has expired",
            "DISCOUNT_EXHAUSTED": "This discount code has been used up"}


def list_discounts(args):
    return page_result("discounts", discount_repository.list_page(args, args["page"], args["per_page"]))


def get_discount(discount_id):
    return _discount(discount_id)


def create_discount(actor, data):
    """A new code, stored upper-case; 409 DISCOUNT_CODE_TAKEN when it exists in any case."""
    _check_rules(data)
    with lost_race_as(_code_taken()), unit_of_work():
        _check_code(data["code"])
        discount = discount_repository.add(Discount(**data, times_used=0))
        discount_repository.flush()
        audit_service.record(actor, "discount.create", "discount", discount.id,
                             audit_service.diff({}, _snapshot(discount)))
    return discount


def update_discount(actor, discount_id, changes):
    """Change the given fields; usage_limit may not go below the uses already counted."""
    if not changes:
        raise BadRequest("No valid fields to update")
    with lost_race_as(_code_taken()), unit_of_work():
        discount_repository.hold(discount_id)  # times_used cannot move under the limit check below
        discount = _discount(discount_id, fresh=True)
        _check_rules({field: changes.get(field, getattr(discount, field)) for field in FIELDS})
        if "code" in changes:
            _check_code(changes["code"], discount.id)
        limit = changes.get("usage_limit")
        if limit is not None and limit < discount.times_used:
            raise Conflict(f"usage_limit cannot go below the {discount.times_used} uses already counted",
                           code="DISCOUNT_LIMIT_BELOW_USES")
        before = _snapshot(discount)
        for field, value in changes.items():
            setattr(discount, field, value)
        discount_repository.flush()
        changed = audit_service.diff(before, _snapshot(discount))
        if changed:
            audit_service.record(actor, "discount.update", "discount", discount.id, changed)
    return discount


def delete_discount(actor, discount_id):
    """Delete a code; orders keep their discount_code copy (their discount_id becomes null)."""
    with unit_of_work():
        discount = _discount(discount_id)
        audit_service.record(actor, "discount.delete", "discount", discount.id,
                             audit_service.diff(_snapshot(discount), {}))
        discount_repository.delete(discount)


def applicable(code, subtotal, customer_id=None, at=None):
    """The discount of code (any case) if it may apply to subtotal, else BadRequest with the rule's code."""
    discount = None
    if isinstance(code, str) and code.strip().isascii():
        discount = discount_repository.get_by_code(code.strip())
    if discount is None:
        raise BadRequest("Unknown discount code", code="DISCOUNT_UNKNOWN")
    check(discount, subtotal, customer_id, at)
    return discount


def check(discount, subtotal, customer_id=None, at=None):
    """Raise BadRequest (DISCOUNT_UNKNOWN, _NOT_STARTED, _EXPIRED, _MIN_SUBTOTAL, _EXHAUSTED) unless it applies."""
    at = at or utcnow()
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    reason = discount.refusal(subtotal, at)
    if reason is not None:
        raise BadRequest(refusal_message(discount, reason), code=reason)
    if (customer_id is not None and discount.per_customer_limit is not None
            and discount_repository.uses_by_customer(discount.id, customer_id) >= discount.per_customer_limit):
        raise BadRequest("You have used this discount code as often as allowed", code="DISCOUNT_EXHAUSTED")


def refusal_message(discount, reason):
    """What to tell the shopper for a refusal code of Discount.refusal."""
    if reason == "DISCOUNT_MIN_SUBTOTAL":
        return f"This discount code needs a subtotal of at least {discount.min_subtotal}"
    return REFUSALS[reason]


def _check_rules(values):
    """The rules between fields, on the values the discount will have."""
    errors = {}
    if values.get("kind") == DiscountKind.PERCENT and values.get("value") is not None \
            and values["value"] > MAX_PERCENT:
        errors["value"] = [f"A percent discount is at most {MAX_PERCENT}."]
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        errors["ends_at"] = ["Must be after starts_at."]
    if errors:
        raise ValidationFailed(errors)


def _check_code(code, discount_id=None):
    if discount_repository.code_taken(code, discount_id):
        raise _code_taken()


def _code_taken():
    return Conflict("Discount code already exists", code="DISCOUNT_CODE_TAKEN")


def _discount(discount_id, fresh=False):
    discount = discount_repository.get(discount_id, fresh)
    if discount is None:
        raise NotFound("Discount not found")
    return discount


def _snapshot(discount):
    return audit_service.snapshot(discount, FIELDS)
