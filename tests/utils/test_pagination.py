"""PageArgs clamps like the reference and refuses pages that would overflow an OFFSET."""
import pytest
from marshmallow import ValidationError

from app.utils.pagination import PageArgs


class UserPageArgs(PageArgs):
    DEFAULT_PER_PAGE = 25


@pytest.mark.parametrize("query, expected", [
    ({}, {"page": 1, "per_page": 20}),
    ({"page": "0", "per_page": "0"}, {"page": 1, "per_page": 20}),
    ({"page": "-3", "per_page": "-1"}, {"page": 1, "per_page": 20}),
    ({"page": "2", "per_page": "1000"}, {"page": 2, "per_page": 100}),
])
def test_clamping(app, query, expected):
    with app.app_context():
        assert PageArgs().load(query) == expected


def test_endpoint_default_per_page(app):
    with app.app_context():
        assert UserPageArgs().load({}) == {"page": 1, "per_page": 25}
        assert UserPageArgs().load({"per_page": "0"})["per_page"] == 20


@pytest.mark.parametrize("page", ["abc", "1.5", "99999999999999999999"])
def test_bad_pages_are_validation_errors(app, page):
    with app.app_context(), pytest.raises(ValidationError) as error:
        PageArgs().load({"page": page})
    assert "page" in error.value.messages


def test_huge_page_is_a_400_not_a_500(client, admin):
    response = client.get("/api/users?page=99999999999999999999", headers=admin.headers)
    assert response.status_code == 400
    assert "page" in response.get_json()["details"]
