"""`flask create-admin`: an admin account validated by the same schema and service as the API."""
import click
from marshmallow import ValidationError

from app.enums import UserRole
from app.errors import DomainError
from app.schemas.user import CreateUserSchema
from app.services import user_admin_service


def create_admin(email, username, password):
    """Create an admin; bad input or a taken email/username becomes a click error, not a traceback."""
    try:
        data = CreateUserSchema().load({"email": email, "username": username, "password": password})
        return user_admin_service.create_user(data, role=UserRole.ADMIN)
    except ValidationError as error:
        raise click.ClickException(f"invalid input: {error.normalized_messages()}") from error
    except DomainError as error:
        raise click.ClickException(error.message) from error
