"""flask-smorest glue: the API object, a Blueprint whose request parsing speaks our error envelope."""
import json

from apispec import BasePlugin
from flask import abort
from flask_smorest import Api, Blueprint as SmorestBlueprint
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.routing import IntegerConverter, UnicodeConverter

from app.models.base import MAX_ID
from app.schemas.common import ErrorSchema


class ShopParser(FlaskParser):
    """Body parsing rules of DESIGN.md 3.5: 400 for bad input, 415 for a body that is not JSON."""

    DEFAULT_VALIDATION_STATUS = 400

    def load_json(self, req, schema):
        body = req.get_data(cache=True)
        if not is_json_request(req):
            if body:
                abort(415, description="Content-Type must be application/json")
            return core.missing
        if not body:  # webargs would take it for "no body": an update route would answer 200, changing nothing
            abort(400, description="Malformed JSON in request body (the body is empty)")
        try:
            data = core.parse_json(body)
        except RecursionError:
            abort(400, description="JSON nested too deeply")
        except (json.JSONDecodeError, UnicodeDecodeError):
            abort(400, description="Malformed JSON in request body")
        if not isinstance(data, dict):
            abort(400, description="Request body must be a JSON object")
        _refuse_nul(data)
        return data

    def load_querystring(self, req, schema):
        _refuse_nul(list(req.args.items(multi=True)))
        return super().load_querystring(req, schema)

    def load_headers(self, req, schema):
        _refuse_nul(req.headers.get("Idempotency-Key", ""))
        return super().load_headers(req, schema)


def _refuse_nul(value):
    """Text with a NUL character is a 400 everywhere: PostgreSQL cannot store or even compare it (a 500 there)."""
    if isinstance(value, str):
        if "\x00" in value:
            abort(400, description="Text must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _refuse_nul(item)


class Blueprint(SmorestBlueprint):
    """A flask-smorest Blueprint using ShopParser."""

    ARGUMENTS_PARSER = ShopParser()


class IdConverter(IntegerConverter):
    """`<int:...>` in our routes: an id past the Integer columns' range is no id of ours, so it becomes 0, which no
    row has: the service answers its own 404 instead of the database driver overflowing (a 500 on SQLite)."""

    def to_python(self, value):
        number = super().to_python(value)
        return number if number <= MAX_ID else 0


class TextConverter(UnicodeConverter):
    """`<name>` in our routes: a path segment holding a NUL character matches no route (404); PostgreSQL would
    refuse it in a query (a 500 there)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]")


class ServerAnswersPlugin(BasePlugin):
    """Documents what gunicorn answers before the app sees the request: 414 (HTML) for a request line past its
    limit_request_line."""

    URI_TOO_LONG = {"description": "Request line too long (answered by gunicorn, as HTML)",
                    "content": {"text/html": {"schema": {"type": "string"}}}}

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            operation.setdefault("responses", {}).setdefault("414", self.URI_TOO_LONG)


class ShopApi(Api):
    """The API object; HTTP errors are rendered by app.errors, whose HTTPException handler, registered after this
    one's, replaces flask-smorest's."""

    ERROR_SCHEMA = ErrorSchema

    def init_app(self, app, *, spec_kwargs=None):
        app.url_map.converters["int"] = IdConverter  # before any blueprint adds its rules
        app.url_map.converters["default"] = app.url_map.converters["string"] = TextConverter
        super().init_app(app, spec_kwargs={"extra_plugins": [ServerAnswersPlugin()], **(spec_kwargs or {})})
