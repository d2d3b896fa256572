"""The ceiling: a bare Flask app answering a static 2 KB JSON under the API's gunicorn settings."""
import json

from flask import Flask, Response

_ITEMS = [{"id": n, "name": f"Static item {n:02d}", "price": 19.99, "in_stock": True} for n in range(28)]
_BASE = json.dumps({"items": _ITEMS, "padding": ""}, separators=(",", ":"))
BODY = json.dumps({"items": _ITEMS, "padding": "x" * (2048 - len(_BASE))}, separators=(",", ":")).encode()

app = Flask(__name__)


@app.get("/static.json")
def static_json():
    """2 KB of JSON, prepared once."""
    return Response(BODY, mimetype="application/json")
