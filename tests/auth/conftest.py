"""Auth fixtures: a valid registration body and forged or expired tokens."""
import base64
import json
from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token, create_refresh_token


@pytest.fixture
def signup():
    """A valid public registration body as the SPA's Register page sends it."""
    return {"email": "Jane.Doe@Example.com", "username": "jane_doe", "password": "Secret123!",
            "role": "customer", "first_name": "Jane", "last_name": "Doe", "phone": ""}


def _b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.fixture
def forge(app):
    """Builders of hostile or stale tokens for a user id."""
    class Forge:
        @staticmethod
        def expired_access(user_id, role="admin"):
            with app.app_context():
                return create_access_token(identity=str(user_id), expires_delta=timedelta(seconds=-10),
                                           additional_claims={"role": role, "ver": 0})

        @staticmethod
        def expired_refresh(user_id):
            with app.app_context():
                return create_refresh_token(identity=str(user_id), expires_delta=timedelta(seconds=-10),
                                            additional_claims={"ver": 0})

        @staticmethod
        def alg_none(user_id, role="admin"):
            header = {"alg": "none", "typ": "JWT"}
            payload = {"sub": str(user_id), "role": role, "type": "access", "ver": 0, "jti": "x",
                       "fresh": False, "iat": 1, "nbf": 1, "exp": 4102444800}
            return f"{_b64(header)}.{_b64(payload)}."

        @staticmethod
        def tampered(token):
            """The same header and signature over a payload that claims another role."""
            header, payload, signature = token.split(".")
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            claims["role"] = "admin"
            claims["sub"] = "1"
            return f"{header}.{_b64(claims)}.{signature}"

    return Forge
