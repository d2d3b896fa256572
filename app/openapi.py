"""flask-smorest glue: the API object, a Blueprint whose request parsing speaks our error envelope."""
from flask import abort
from flask_smorest import Api, Blueprint as SmorestBlueprint
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.routing import IntegerConverter

from app.schemas.common import ErrorSchema


class ShopParser(FlaskParser):
    """Body parsing rules of DESIGN.md 3.5: 400 for bad input, 415 for a body that is not JSON."""

    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req):
        if not is_json_request(req):
            if req.get_data(cache=True):
                abort(415, description="Content-Type must be application/json")
            return core.missing
        data = core.parse_json(req.get_data(cache=True))
        if not isinstance(data, dict):
            abort(400, description="Request body must be a JSON object")
        return data

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, description="Malformed JSON in request body")


class Blueprint(SmorestBlueprint):
    """A flask-smorest Blueprint using ShopParser."""

    ARGUMENTS_PARSER = ShopParser()


class IdConverter(IntegerConverter):
    """`<int:...>` in our routes: an id past the Integer columns' range matches no route (404), instead of
    overflowing the database driver (a 500 on SQLite); the OpenAPI description shows the bounds."""

    MAX_ID = 2**31 - 1

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", self.MAX_ID)
        super().__init__(url_map, *args, **kwargs)


class ShopApi(Api):
    """The API object; HTTP errors are rendered by app.errors, not by flask-smorest."""

    ERROR_SCHEMA = ErrorSchema

    def init_app(self, app, *, spec_kwargs=None):
        app.url_map.converters["int"] = IdConverter  # before any blueprint adds its rules
        super().init_app(app, spec_kwargs=spec_kwargs)

    def _register_error_handlers(self):
        """Leave error handling to app.errors.register_error_handlers."""
