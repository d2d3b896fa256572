"""The mails an event causes, sent by the worker inside the event's dispatch transaction.

Recipients are looked up at send time. An exception (the mail server down) leaves the event pending for a retry,
and the tokens created for it roll back with it.
"""
from decimal import Decimal

from flask import current_app

from app.enums import EventType, OrderStatus, TokenPurpose
from app.repositories import order_repository, user_repository
from app.services import account_service, mail_service


def notify(event):
    """Send the mails of one outbox event (most events cause none)."""
    handler = _HANDLERS.get(event.type)
    if handler is not None:
        handler(event.payload)


def _password_reset(payload):
    user = user_repository.get_by_email(payload["email"])
    if user is None or not user.is_active:
        return  # nothing to tell, and the request's answer was the same either way
    token = account_service.issue_token(user, TokenPurpose.PASSWORD_RESET)
    mail_service.send("password_reset", user.email, "Reset your Go2Market password", user=user,
                      link=_link("reset-password", token),
                      ttl_minutes=current_app.config["PASSWORD_RESET_TTL"] // 60)


def _verification(user_id):
    user = user_repository.get(user_id)
    if user is None or not user.is_active or user.email_verified:
        return
    token = account_service.issue_token(user, TokenPurpose.EMAIL_VERIFICATION)
    mail_service.send("verify_email", user.email, "Confirm your Go2Market e-mail address", user=user,
                      link=_link("verify-email", token),
                      ttl_hours=current_app.config["EMAIL_VERIFICATION_TTL"] // 3600)


def _password_changed(payload):
    user = user_repository.get(payload["user_id"])
    if user is not None:
        mail_service.send("password_changed", user.email, "Your Go2Market password was changed", user=user)


def _order_mail(template, subject, payload):
    order = payload["order"]
    stored = order_repository.get(order["id"])
    if stored is None or stored.customer is None:
        return
    mail_service.send(template, stored.customer.user.email, subject.format(number=order["order_number"]),
                      order=order, customer=stored.customer, reason=payload.get("reason"), money=_money)


def _status_changed(payload):
    if payload.get("to_status") == OrderStatus.SHIPPED:
        _order_mail("order_shipped", "Your order {number} has shipped", payload)


def _link(page, token):
    return f"{current_app.config['FRONTEND_URL']}/{page}?token={token}"


def _money(value):
    """A payload amount (a JSON number) as 12.30."""
    return f"{Decimal(str(value)):.2f}"


_HANDLERS = {
    EventType.PASSWORD_RESET_REQUESTED: _password_reset,
    EventType.USER_REGISTERED: lambda payload: _verification(payload["user"]["id"]),
    EventType.VERIFICATION_REQUESTED: lambda payload: _verification(payload["user_id"]),
    EventType.PASSWORD_CHANGED: _password_changed,
    EventType.ORDER_CREATED: lambda payload: _order_mail("order_confirmation", "We received your order {number}",
                                                        payload),
    EventType.ORDER_STATUS_CHANGED: _status_changed,
    EventType.ORDER_CANCELLED: lambda payload: _order_mail("order_cancelled", "Order {number} was cancelled",
                                                          payload),
    EventType.ORDER_REFUNDED: lambda payload: _order_mail("order_refunded", "Order {number} was refunded", payload),
}
