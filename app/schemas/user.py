"""User and profile shapes."""
from marshmallow import Schema, fields

from app.schemas.common import Money


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    username = fields.String()
    role = fields.String()
    is_active = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class AddressSchema(Schema):
    line1 = fields.String(allow_none=True)
    line2 = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    state = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    country = fields.String(allow_none=True)


class CustomerProfileSchema(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    first_name = fields.String(allow_none=True)
    last_name = fields.String(allow_none=True)
    full_name = fields.String()
    phone = fields.String(allow_none=True)
    address = fields.Nested(AddressSchema)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class EmployeeProfileSchema(CustomerProfileSchema):
    employee_id = fields.String(allow_none=True)
    hire_date = fields.DateTime()
    shift_start = fields.Time(allow_none=True)
    shift_end = fields.Time(allow_none=True)
    salary = Money(allow_none=True)


class CustomerWithUserSchema(CustomerProfileSchema):
    user = fields.Nested(UserSchema)
