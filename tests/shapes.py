"""The [COMPAT] key sets of the user resources, shared by the auth and users tests, and the error body's request_id."""
USER_KEYS = {"id", "email", "username", "role", "is_active", "created_at", "updated_at", "email_verified"}
CUSTOMER_PROFILE_KEYS = {"id", "user_id", "first_name", "last_name", "full_name", "phone", "address",
                         "created_at", "updated_at"}
EMPLOYEE_PROFILE_KEYS = CUSTOMER_PROFILE_KEYS | {"employee_id", "hire_date", "shift_start", "shift_end", "salary"}


def with_request_id(response, body):
    """An error body as the server sends it: body plus the request_id that the X-Request-ID header carries."""
    return {**body, "request_id": response.headers["X-Request-ID"]}
