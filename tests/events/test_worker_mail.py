"""End to end: the real `flask worker` process mails the reset link through a real SMTP server."""
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxEvent
from tests.events.conftest import token_of
from tests.worker import wait_for


def _dispatched(app, event_type):
    with app.app_context():
        state = db.session.scalar(select(OutboxEvent.state).where(OutboxEvent.type == event_type))
        db.session.remove()
    return state == "dispatched"


def test_the_worker_mails_the_reset_link(client, app, customer, smtp, start_worker):
    start_worker(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    response = client.post("/api/auth/forgot-password", json={"email": customer.email})
    assert response.status_code == 202
    # The mail leaves inside the dispatch transaction, which commits the token right after it.
    wait_for(lambda: smtp.mails and _dispatched(app, "auth.password_reset_requested"), timeout=60,
             message="the reset mail")
    [mail] = smtp.mails
    assert mail.envelope_to == ["customer1@email.com"] and mail.subject == "Reset your Go2Market password"
    reset = client.post("/api/auth/reset-password", json={"token": token_of(mail), "new_password": "BrandNew123!"})
    assert reset.status_code == 200
    login = client.post("/api/auth/login", json={"email_or_username": customer.email, "password": "BrandNew123!"})
    assert login.status_code == 200
    # The notice of the reset follows through the same worker.
    wait_for(lambda: len(smtp.mails) == 2, timeout=60, message="the password changed notice")
    assert smtp.mails[1].subject == "Your Go2Market password was changed"
