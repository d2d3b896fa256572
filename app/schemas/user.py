"""User and profile shapes: outputs ([COMPAT]) and the inputs of the auth and user routes."""
from datetime import datetime, time, timezone
from decimal import Decimal

from marshmallow import Schema, fields, post_load, pre_load
from marshmallow.validate import Length, OneOf, Range, Regexp

from app.enums import EMPLOYEE_ROLES, UserRole, values
from app.models.person import ADDRESS_FIELDS
from app.schemas.common import BlankToNoneMixin, Flag, InputSchema, Moment, Money, Number, Text
from app.utils.pagination import PageArgs, page_schema


class UserSchema(Schema):
    id = Number()
    email = Text()
    username = Text()
    role = Text()
    is_active = Flag()
    email_verified = Flag()
    created_at = Moment()
    updated_at = Moment()


class AddressSchema(Schema):
    line1 = Text(allow_none=True)
    line2 = Text(allow_none=True)
    city = Text(allow_none=True)
    state = Text(allow_none=True)
    postal_code = Text(allow_none=True)
    country = Text(allow_none=True)


class CustomerProfileSchema(Schema):
    id = Number()
    user_id = Number()
    first_name = Text(allow_none=True)
    last_name = Text(allow_none=True)
    full_name = Text()
    phone = Text(allow_none=True)
    address = fields.Nested(AddressSchema)
    created_at = Moment()
    updated_at = Moment()


class EmployeeProfileSchema(CustomerProfileSchema):
    employee_id = Text(allow_none=True)
    hire_date = Moment()
    shift_start = fields.Time(allow_none=True)
    shift_end = fields.Time(allow_none=True)
    salary = Money(allow_none=True)


class CustomerWithUserSchema(CustomerProfileSchema):
    user = fields.Nested(UserSchema)


# ---- Profile dispatch and composite outputs ----

class ProfileField(fields.Field):
    """A customer or employee profile (with salary), or null for admins."""

    def __init__(self, **kwargs):
        super().__init__(allow_none=True, dump_only=True, metadata={
            "description": "CustomerProfile for customers, EmployeeProfile (with salary) for managers and cashiers"
        }, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return (_EMPLOYEE_PROFILE if hasattr(value, "employee_id") else _CUSTOMER_PROFILE).dump(value)


_EMPLOYEE_PROFILE, _CUSTOMER_PROFILE = EmployeeProfileSchema(), CustomerProfileSchema()  # built once, reused


class UserProfileSchema(Schema):
    """{user, profile}; the profile key is absent for admins."""

    user = fields.Nested(UserSchema)
    profile = ProfileField()


class UserMessageSchema(Schema):
    message = fields.String()
    user = fields.Nested(UserSchema)


class UserProfileMessageSchema(UserMessageSchema):
    profile = ProfileField()


class UserStatisticsByRoleSchema(Schema):
    customers = fields.Integer()
    managers = fields.Integer()
    cashiers = fields.Integer()
    admins = fields.Integer()


class UserStatisticsSchema(Schema):
    total_users = fields.Integer()
    active_users = fields.Integer()
    inactive_users = fields.Integer()
    by_role = fields.Nested(UserStatisticsByRoleSchema)


# ---- Inputs ----

class DateOrDateTime(fields.DateTime):
    """An ISO datetime or a bare date ("2026-03-01", what the SPA's date input sends), as aware UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and len(value) == 10:
            day = fields.Date()._deserialize(value, attr, data, **kwargs)
            return datetime.combine(day, time.min, tzinfo=timezone.utc)
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _text(size, **kwargs):
    return fields.String(allow_none=True, validate=Length(max=size), **kwargs)


PERSON_FIELDS = ("first_name", "last_name", "phone", *ADDRESS_FIELDS)
EMPLOYEE_FIELDS = ("employee_id", "hire_date", "salary")
ROLE_NAMES = values(UserRole)
USERNAME_RULE = Regexp(r"^[A-Za-z0-9_.-]+$", error="Use letters, digits, '_', '.' or '-' only")


def Password(**kwargs):
    return fields.String(validate=Length(min=8, max=128), **kwargs)


class PersonInputMixin(BlankToNoneMixin):
    """Name, phone and address; "" means empty."""

    BLANK_AS_NONE = PERSON_FIELDS

    first_name = _text(50)
    last_name = _text(50)
    phone = _text(20)
    address_line1 = _text(255)
    address_line2 = _text(255)
    city = _text(100)
    state = _text(100)
    postal_code = _text(20)
    country = _text(100)


class EmployeeInputMixin:
    """Employee fields as the SPA sends them: strings, "" meaning empty."""

    employee_id = _text(20)
    hire_date = DateOrDateTime(allow_none=True)
    salary = Money(allow_none=True, validate=Range(min=0, max=Decimal("9999999999.99")))


class AccountFieldsMixin:
    """Email (normalised to lower case) and username; a username can never look like an email."""

    email = fields.Email(validate=Length(max=120))
    username = fields.String(validate=[Length(min=3, max=80), USERNAME_RULE])

    @pre_load
    def normalise_email(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("email"), str):
            data = {**data, "email": data["email"].strip().lower()}
        return data


class CreateUserSchema(AccountFieldsMixin, EmployeeInputMixin, PersonInputMixin, InputSchema):
    """A new account; the caller's rights decide which roles are allowed (unknown keys are ignored)."""

    BLANK_AS_NONE = (*PERSON_FIELDS, *EMPLOYEE_FIELDS, "role")

    email = fields.Email(required=True, validate=Length(max=120))
    username = fields.String(required=True, validate=[Length(min=3, max=80), USERNAME_RULE])
    password = Password(required=True)
    role = fields.String(allow_none=True, validate=Length(max=20))


class ProfileUpdateSchema(PersonInputMixin, InputSchema):
    """The caller's own name, phone and address."""


class AdminUserUpdateSchema(AccountFieldsMixin, InputSchema):
    """What an admin may change on an account."""

    is_active = fields.Boolean()


class RoleChangeSchema(EmployeeInputMixin, PersonInputMixin, InputSchema):
    """A new role, with the fields of an employee profile created for a staff role."""

    BLANK_AS_NONE = (*PERSON_FIELDS, *EMPLOYEE_FIELDS)

    role = fields.String(required=True, validate=OneOf(
        ROLE_NAMES, error="Invalid role. Must be one of: " + ", ".join(ROLE_NAMES)))


class PasswordResetSchema(InputSchema):
    new_password = Password(required=True)


class UserListArgs(PageArgs):
    """?page, per_page (default 25) and role (empty, as the SPA's "All Roles" sends it, means every role)."""

    DEFAULT_PER_PAGE = 25

    role = fields.String(load_default=None, validate=OneOf(
        ["", *ROLE_NAMES], error="Invalid role filter. Must be one of: " + ", ".join(ROLE_NAMES)))

    @post_load
    def blank_role_is_no_filter(self, data, **kwargs):
        data["role"] = data.get("role") or None
        return data


class EmployeeListArgs(UserListArgs):
    role = fields.String(load_default=None, validate=OneOf(
        ["", *(role.value for role in EMPLOYEE_ROLES)],
        error="Invalid role filter for employees. Must be one of: manager, cashier"))


class CustomerListArgs(PageArgs):
    DEFAULT_PER_PAGE = 25


UserPageSchema = page_schema("UserPage", "users", UserSchema)
EmployeePageSchema = page_schema("EmployeePage", "employees", UserSchema)
CustomerPageSchema = page_schema("CustomerPage", "customers", CustomerWithUserSchema)
