"""GET /api/categories, /api/categories/<id> and /api/categories/slug/<slug>."""
import pytest

from tests.catalog.conftest import CATEGORY_KEYS, TREE_KEYS, assert_error
from tests.factories import bearer, make_category, make_product


@pytest.fixture
def tree(app):
    """Electronics > (Computers, Audio (inactive)), Automotive; products in Computers (one inactive)."""
    electronics = make_category(app, name="Electronics", slug="electronics")
    computers = make_category(app, name="Computers", slug="computers", parent_id=electronics)
    audio = make_category(app, name="Audio", slug="audio", parent_id=electronics, is_active=False)
    automotive = make_category(app, name="Automotive", slug="automotive")
    make_product(app, computers)
    make_product(app, computers, is_active=False)
    return {"electronics": electronics, "computers": computers, "audio": audio, "automotive": automotive}


def test_list_is_active_only_sorted_by_name_with_children_and_counts(client, tree):
    response = client.get("/api/categories")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"categories"}
    entries = body["categories"]
    assert [c["name"] for c in entries] == ["Automotive", "Computers", "Electronics"]
    for entry in entries:
        assert set(entry) == TREE_KEYS
    by_name = {c["name"]: c for c in entries}
    electronics = by_name["Electronics"]
    assert electronics["parent_id"] is None and electronics["products_count"] == 0
    assert [c["name"] for c in electronics["children"]] == ["Audio", "Computers"]  # inactive children included
    for child in electronics["children"]:
        assert set(child) == CATEGORY_KEYS
    assert by_name["Computers"]["products_count"] == 2  # inactive products count
    assert by_name["Computers"]["parent_id"] == tree["electronics"]


@pytest.mark.parametrize("value, expected", [
    ("true", ["Automotive", "Electronics"]), ("TRUE", ["Automotive", "Electronics"]),
    ("false", ["Automotive", "Computers", "Electronics"])])
def test_parent_only(client, tree, value, expected):
    assert [c["name"] for c in client.get(f"/api/categories?parent_only={value}").get_json()["categories"]] == expected


def test_parent_only_rejects_nonsense(client):
    assert_error(client.get("/api/categories?parent_only=perhaps"), 400, "parent_only")


def test_list_runs_a_fixed_number_of_queries(client, app, count_queries):
    def tree_of(size):
        root = make_category(app)
        for n in range(size - 1):
            make_product(app, make_category(app, parent_id=root))

    counts = []
    for size in (3, 30):
        tree_of(size)
        with count_queries() as statements:
            assert client.get("/api/categories").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 4  # three reads, and the catalog version of the response cache


def test_get_by_id_includes_inactive_categories(client, tree):
    response = client.get(f"/api/categories/{tree['audio']}")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == TREE_KEYS and body["is_active"] is False and body["children"] == []
    body = client.get(f"/api/categories/{tree['electronics']}").get_json()
    assert [c["id"] for c in body["children"]] == [tree["audio"], tree["computers"]]


def test_get_by_slug_is_active_only(client, tree):
    body = client.get("/api/categories/slug/computers").get_json()
    assert set(body) == TREE_KEYS and body["id"] == tree["computers"] and body["products_count"] == 2
    assert_error(client.get("/api/categories/slug/audio"), 404)


@pytest.mark.parametrize("path", ["/api/categories/999999", "/api/categories/slug/nope"])
def test_missing_category_is_404(client, path):
    assert assert_error(client.get(path), 404)["error"] == "Category not found"


def test_public_reads_ignore_stale_tokens(client, tree):
    headers = bearer("not.a.token")
    assert client.get("/api/categories", headers=headers).status_code == 200
    assert client.get(f"/api/categories/{tree['audio']}", headers=headers).status_code == 200
