"""Bad discount input is a 400 naming the field, and changes nothing; a taken code is a 409, even in a race."""
import pytest

from app.models.base import MAX_ID
from tests.audit.conftest import entries
from tests.concurrency import at_once, meet_at_the_door
from tests.factories import make_discount

VALID = {"code": "SAVE10", "kind": "percent", "value": "10"}
BAD_FIELDS = [
    ("code", "AB"), ("code", "X" * 51), ("code", "SAVE 10"), ("code", "SAVE10!"), ("code", "SAVE10\n"),
    ("code", "ÄBC10"), ("code", 12345), ("code", None),
    ("kind", "bogus"), ("kind", "PERCENT"), ("kind", None),
    ("value", 0), ("value", "0.00"), ("value", -1), ("value", "abc"), ("value", "1.001"), ("value", "NaN"),
    ("value", "Infinity"), ("value", "100000000.00"), ("value", None), ("value", "100.01"),
    ("min_subtotal", "-0.01"), ("min_subtotal", "1.234"), ("min_subtotal", "100000000"), ("min_subtotal", "x"),
    ("starts_at", "2026-06-01T12:00:00"), ("starts_at", "tomorrow"), ("starts_at", "2026-13-01T00:00:00Z"),
    ("ends_at", "2026-06-01"), ("ends_at", 1780000000),
    # Beyond the calendar once in UTC.
    ("ends_at", "9999-12-31T23:59:59-05:00"), ("starts_at", "0001-01-01T00:00:00+05:00"),
    ("usage_limit", 0), ("usage_limit", -1), ("usage_limit", MAX_ID + 1), ("usage_limit", 1.5),
    ("usage_limit", "many"), ("per_customer_limit", 0), ("per_customer_limit", 2**63),
    ("is_active", "maybe"), ("is_active", None), ("is_active", "yes"), ("is_active", 1), ("value", True), ("usage_limit", True),
    ("times_used", 0), ("id", 7), ("created_at", "2026-06-01T00:00:00Z"),
]


@pytest.fixture
def nothing_written(app, discounts_stored):
    """Asserts after the test that no discount row and no audit entry exist beyond those of `kept`."""
    kept = []
    yield kept
    assert discounts_stored() == len(kept)
    assert [entry[2] for entry in entries(app)] == []


def _error(response, field):
    assert response.status_code == 400, (field, response.get_json())
    body = response.get_json()
    assert body["code"] == "VALIDATION_FAILED" and field in body["details"], body
    return body


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_a_bad_create_field_is_400(client, admin, nothing_written, field, value):
    _error(client.post("/api/discounts", json={**VALID, field: value}, headers=admin.headers), field)


@pytest.mark.parametrize("field", ["code", "kind", "value"])
def test_a_missing_required_field_is_400(client, admin, nothing_written, field):
    body = {key: value for key, value in VALID.items() if key != field}
    _error(client.post("/api/discounts", json=body, headers=admin.headers), field)


@pytest.mark.parametrize("ends_at", ["2026-06-01T12:00:00Z", "2026-06-01T11:59:59Z", "2026-06-01T13:59:59+02:00"])
def test_ends_at_must_be_after_starts_at(client, admin, nothing_written, ends_at):
    body = {**VALID, "starts_at": "2026-06-01T12:00:00Z", "ends_at": ends_at}
    _error(client.post("/api/discounts", json=body, headers=admin.headers), "ends_at")


def test_a_fixed_discount_may_exceed_100(client, admin):
    response = client.post("/api/discounts", json={**VALID, "kind": "fixed", "value": "150.00"},
                           headers=admin.headers)
    assert response.status_code == 201


@pytest.mark.parametrize("body", [None, [], "SAVE10"], ids=["null", "list", "string"])
def test_a_body_that_is_not_an_object_is_400(client, admin, nothing_written, body):
    response = client.post("/api/discounts", json=body, headers=admin.headers)
    assert response.status_code == 400, response.get_json()


def test_a_body_that_is_not_json_is_refused(client, admin, nothing_written):
    response = client.post("/api/discounts", data="code=SAVE10", headers=admin.headers,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 415) and response.get_json()["error"]


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_a_bad_update_field_is_400_and_changes_nothing(app, client, admin, discount_row, nothing_written,
                                                       field, value):
    discount_id = make_discount(app, code="KEEP", usage_limit=5)
    nothing_written.append(discount_id)
    before = discount_row(discount_id)
    _error(client.put(f"/api/discounts/{discount_id}", json={field: value}, headers=admin.headers), field)
    assert discount_row(discount_id) == before


@pytest.mark.parametrize(("stored", "change", "field"), [
    ({"kind": "percent", "value": "10.00"}, {"value": "100.01"}, "value"),
    ({"kind": "fixed", "value": "150.00"}, {"kind": "percent"}, "value"),
    ({"starts_at": "2026-06-01T12:00:00+00:00"}, {"ends_at": "2026-06-01T12:00:00Z"}, "ends_at"),
    ({"ends_at": "2026-06-01T12:00:00+00:00"}, {"starts_at": "2026-06-02T00:00:00Z"}, "ends_at"),
], ids=["percent-over-100", "kind-to-percent", "ends-at-starts", "starts-after-ends"])
def test_an_update_is_checked_against_the_stored_values(app, client, admin, discount_row, nothing_written,
                                                        stored, change, field):
    from datetime import datetime

    fields = {name: datetime.fromisoformat(value) if name.endswith("_at") else value for name, value in stored.items()}
    discount_id = make_discount(app, **fields)
    nothing_written.append(discount_id)
    before = discount_row(discount_id)
    _error(client.put(f"/api/discounts/{discount_id}", json=change, headers=admin.headers), field)
    assert discount_row(discount_id) == before


def test_an_empty_update_is_400(app, client, admin, nothing_written):
    nothing_written.append(make_discount(app))
    response = client.put(f"/api/discounts/{nothing_written[0]}", json={}, headers=admin.headers)
    assert response.status_code == 400 and response.get_json()["error"] == "No valid fields to update"


def test_a_code_taken_in_any_case_is_409(app, client, admin, discount_row, discounts_stored):
    first = client.post("/api/discounts", json=VALID, headers=admin.headers)
    assert first.status_code == 201
    for code in ("save10", "SAVE10", "Save10"):
        response = client.post("/api/discounts", json={**VALID, "code": code, "kind": "fixed"}, headers=admin.headers)
        assert response.status_code == 409 and response.get_json()["code"] == "DISCOUNT_CODE_TAKEN", code
    other = make_discount(app, code="OTHER")
    response = client.put(f"/api/discounts/{other}", json={"code": "sAvE10"}, headers=admin.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "DISCOUNT_CODE_TAKEN"
    assert discount_row(other)["code"] == "OTHER" and discounts_stored() == 2
    assert [entry[2] for entry in entries(app)] == ["discount.create"]


@pytest.mark.parametrize("meet", [False, True], ids=["free-race", "both-past-the-check"])
def test_two_simultaneous_creates_of_one_code_one_wins(app, admin, monkeypatch, discounts_stored, meet):
    if meet:  # both requests find the code free, so the database's unique index decides
        from app.repositories import discount_repository
        meet_at_the_door(monkeypatch, 2, (discount_repository, "code_taken"))
    for round_ in range(5):
        code = f"RACE{round_}"
        responses = at_once(app, *[
            lambda client, code=spelled: client.post("/api/discounts", json={**VALID, "code": code},
                                                     headers=admin.headers)
            for spelled in (code.lower(), code)])
        assert sorted(response.status_code for response in responses) == [201, 409]
        lost = next(response for response in responses if response.status_code == 409)
        assert lost.get_json()["code"] == "DISCOUNT_CODE_TAKEN"
        assert discounts_stored() == round_ + 1
    assert len(entries(app, "discount.create")) == 5

