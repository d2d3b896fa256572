"""WSGI entry point for gunicorn: `gunicorn wsgi:app` (production config unless FLASK_ENV says otherwise)."""
import os

from app import create_app

app = create_app(os.environ.get("FLASK_ENV", "production"))
