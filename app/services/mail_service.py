"""Sending one mail: text and HTML parts from the templates in app/templates/mail, through Flask-Mail or the log."""
import logging
import smtplib

from flask import current_app, render_template
from flask_mail import Connection, Message

from app.extensions import mail

log = logging.getLogger("app.mail")
SMTP_TIMEOUT_SECONDS = 10


class _TimedConnection(Connection):
    """Flask-Mail's connection with a socket timeout: a mail server that hangs fails the event instead of the worker."""

    def configure_host(self):
        state = self.mail
        smtp = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp(state.server, state.port, timeout=SMTP_TIMEOUT_SECONDS)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


def send(template, recipient, subject, **context):
    """Render mail/<template>.txt and .html and send them to recipient; logged instead when MAIL_SERVER is unset."""
    config = current_app.config
    text = render_template(f"mail/{template}.txt", **context)
    html = render_template(f"mail/{template}.html", **context)
    if not config["MAIL_SERVER"]:
        log.info("mail to %s\nSubject: %s\n\n%s", recipient, subject, text)
        return
    message = Message(subject=subject, recipients=[recipient], body=text, html=html,
                      sender=config["MAIL_DEFAULT_SENDER"])
    # Settings read at send time (Flask-Mail freezes them at init_app), so a changed config takes effect at once.
    with _TimedConnection(mail.init_mail(config, current_app.debug)) as connection:
        connection.send(message)
