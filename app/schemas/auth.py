"""Auth inputs and the token responses ([COMPAT]: login {access_token, refresh_token, user}, refresh {access_token})."""
from marshmallow import Schema, fields, pre_load
from marshmallow.validate import Length

from app.schemas.common import InputSchema
from app.schemas.user import CreateUserSchema, Password, ProfileField, UserSchema


class RegisterSchema(CreateUserSchema):
    """Public sign-up (customers) or, with an admin token, any role."""


class LoginSchema(InputSchema):
    email_or_username = fields.String(required=True, validate=Length(min=1, max=120))
    password = fields.String(required=True, validate=Length(min=1, max=128))


class ChangePasswordSchema(InputSchema):
    old_password = fields.String(required=True, validate=Length(min=1, max=128))
    new_password = Password(required=True)


class LogoutSchema(InputSchema):
    refresh_token = fields.String(validate=Length(max=4096))


class ForgotPasswordSchema(InputSchema):
    """The address as typed, trimmed and lower-cased like login and registration do."""

    email = fields.Email(required=True, validate=Length(max=120))

    @pre_load
    def normalise_email(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("email"), str):
            data = {**data, "email": data["email"].strip().lower()}
        return data


def Token(**kwargs):
    """A mailed token (43 characters as issued); longer ones cannot be ours."""
    return fields.String(required=True, validate=Length(min=1, max=256), **kwargs)


class ResetPasswordSchema(InputSchema):
    token = Token()
    new_password = Password(required=True)


class VerifyEmailSchema(InputSchema):
    token = Token()


class AccessTokenSchema(Schema):
    access_token = fields.String()


class TokenPairSchema(AccessTokenSchema):
    refresh_token = fields.String()


class LoginResponseSchema(TokenPairSchema):
    user = fields.Nested(UserSchema)


class RegisterResponseSchema(Schema):
    message = fields.String()
    user = fields.Nested(UserSchema)
    profile = ProfileField()


class PasswordChangedSchema(TokenPairSchema):
    message = fields.String()
