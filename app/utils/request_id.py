"""The request id: the client's X-Request-ID when it is sane, else a new one; on the answer, error bodies and logs."""
import logging
import re
import uuid

from flask import has_request_context, request

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_ENVIRON_KEY = "go2market.request_id"
NO_REQUEST = "-"


def current_request_id():
    """The id of the current request, chosen on first use (a hook that runs early may fail before ours)."""
    # In the WSGI environ, not flask.g: g belongs to the app context, which requests share when one is already pushed.
    environ = request.environ
    if _ENVIRON_KEY not in environ:
        sent = request.headers.get(HEADER, "")
        environ[_ENVIRON_KEY] = sent if SANE_ID.fullmatch(sent) else uuid.uuid4().hex
    return environ[_ENVIRON_KEY]


def install_log_record_factory():
    """Every log record carries request_id (NO_REQUEST outside a request), for formats with %(request_id)s."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "adds_request_id", False):
        return

    def make_record_with_request_id(*args, **kwargs):
        record = make_record(*args, **kwargs)
        record.request_id = current_request_id() if has_request_context() else NO_REQUEST
        return record

    make_record_with_request_id.adds_request_id = True
    logging.setLogRecordFactory(make_record_with_request_id)
