"""A real SMTP server (aiosmtpd) collecting mails, and the worker's dispatch run in-process."""
import email
import re
import socket
from email import policy
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.enums import EventState
from app.extensions import db
from app.models import OutboxEvent
from app.services import outbox_service

TOKEN = re.compile(r"\?token=([A-Za-z0-9_-]+)")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """aiosmtpd handler: every mail received, parsed, with its text and HTML parts at hand."""

    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.mails.append(SimpleNamespace(
            to=message["To"], sender=message["From"], subject=message["Subject"], envelope_to=envelope.rcpt_tos,
            text=_lines(message.get_body(("plain",))), html=_lines(message.get_body(("html",)))))
        return "250 Message accepted"


def _lines(part):
    """A part's text with the wire's CRLF line ends made plain newlines."""
    return part.get_content().replace("\r\n", "\n")


@pytest.fixture
def smtp():
    """A running SMTP server on 127.0.0.1; .mails lists what it received, .port is where it listens."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


@pytest.fixture
def mail_server(smtp, settings):
    """The app sends through the test's SMTP server."""
    settings(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    return smtp


@pytest.fixture
def dispatch(app):
    """dispatch() runs the worker's outbox_service.dispatch on every pending event, oldest first; their types."""
    def run():
        with app.app_context():
            events = db.session.execute(select(OutboxEvent.id, OutboxEvent.type)
                                        .where(OutboxEvent.state == EventState.PENDING)
                                        .order_by(OutboxEvent.created_at, OutboxEvent.id)).all()
            db.session.remove()
            for event_id, _ in events:
                outbox_service.dispatch(event_id)
                db.session.remove()
        return [event_type for _, event_type in events]
    return run


def token_of(mail):
    """The token of the one link in a mail's text."""
    tokens = TOKEN.findall(mail.text)
    assert len(tokens) == 1, mail.text
    return tokens[0]
