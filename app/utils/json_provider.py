"""orjson-backed JSON for responses; Decimals leave as JSON numbers with their exact digits."""
from decimal import Decimal

import orjson
from flask.json.provider import JSONProvider


def _default(value):
    if isinstance(value, Decimal):
        return orjson.Fragment(format(value, "f"))
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(obj):
    """JSON text, exact money included; also what JSON columns store (the outbox payloads)."""
    return orjson.dumps(obj, default=_default, option=orjson.OPT_NON_STR_KEYS).decode()


class OrjsonProvider(JSONProvider):
    """Fast serialization; money stays exact (20.00, not 20.0 or "20.00")."""

    def dumps(self, obj, **kwargs):
        return dumps(obj)

    def loads(self, s, **kwargs):
        return orjson.loads(s)
