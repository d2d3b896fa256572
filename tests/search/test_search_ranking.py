"""GET /api/products?q=: what a search finds and in which order, on the fixture catalog of conftest.py."""
import pytest

from tests.search.conftest import LIST, STAFF_LIST, search

LAPTOPS = ["Laptop Stand", "Gaming Laptop", "Laptop Pro 15", "Carry Bag"]


@pytest.mark.parametrize("query, expected", [
    # Every word in the name first, the newest first; a description-only match last.
    ("laptop", LAPTOPS),
    ("LAPTOP", LAPTOPS),
    ("lap", LAPTOPS),  # the last word, of 3+ characters, is a prefix
    ("stand lap", ["Laptop Stand"]),
    ("lap stand", []),  # the others are whole words ("lap" is one of the SKU "LAP-015")
    ("lap 015", ["Laptop Pro 15"]),
    # An exact SKU comes first, above a name match.
    ("mouse", ["Desk Pad", "Wireless Mouse"]),
    ("MOUSE", ["Desk Pad", "Wireless Mouse"]),
    ("lap-015", ["Laptop Pro 15"]),
    # An exact barcode first; a barcode it only begins comes after.
    ("0001112223334", ["Laptop Pro 15", "Gaming Laptop"]),
    # A category name: its products (name / codes / category tier) above a description-only match.
    ("accessories", ["Desk Pad", "Wireless Mouse", "Carry Bag", "Laptop Stand", "Studio Headphones"]),
    ("audio", ["Studio Headphones"]),
    ("gear", ["Studio Headphones"]),
    # Every word must match, anywhere.
    ("laptop pro", ["Laptop Pro 15"]),
    ("computers laptop", ["Gaming Laptop", "Laptop Pro 15"]),
    ("bag laptop", ["Carry Bag"]),
    ("head", ["Studio Headphones"]),
    ("closed", ["Studio Headphones"]),
    ("laptop zebra", []),
    # One typo in a word of 5+ letters: a swap, a deletion, an insertion, a substitution.
    ("lapotp", LAPTOPS),
    ("mosue", ["Wireless Mouse", "Desk Pad"]),
    ("laptpo stand", ["Laptop Stand"]),
    ("wirless", ["Wireless Mouse"]),
    ("wireleess", ["Wireless Mouse"]),
    ("studjo", ["Studio Headphones"]),
    # Two typos, or a typo in a word of 4 letters, find nothing.
    ("lpaotp", []),
    ("bakc", []),
    ("back", ["Studio Headphones"]),
    ("stnd", []),
])
def test_search_order(client, shop, query, expected):
    assert search(client, f"q={query}") == expected


def test_the_answer_keeps_the_list_shape_and_counts_the_matches(client, shop):
    body = client.get(f"{LIST}?q=laptop&per_page=2").get_json()
    assert [product["name"] for product in body["products"]] == ["Laptop Stand", "Gaming Laptop"]
    assert (body["total"], body["pages"], body["current_page"], body["has_next"]) == (4, 2, 1, True)
    page_two = client.get(f"{LIST}?q=laptop&per_page=2&page=2").get_json()
    assert [product["name"] for product in page_two["products"]] == ["Laptop Pro 15", "Carry Bag"]
    past_the_end = client.get(f"{LIST}?q=laptop&per_page=2&page=3").get_json()
    assert (past_the_end["products"], past_the_end["total"], past_the_end["pages"], past_the_end["has_next"]) \
        == ([], 4, 2, False)
    nothing = client.get(f"{LIST}?q=zzzzqqq").get_json()
    assert (nothing["products"], nothing["total"], nothing["pages"]) == ([], 0, 0)


def test_a_q_page_finds_its_matches_once(app, client, shop, count_queries):
    client.get(f"{LIST}?q=laptop")  # warms the app's version reads
    with count_queries() as statements:
        assert len(search(client, "q=laptop&per_page=3")) == 3
    finding = [statement for statement in statements if "matches" in statement]
    # One statement ranks, counts and numbers the matches; the page's rows are read by id (no count of their own).
    assert len(finding) == 1 and not any(statement.startswith("SELECT count(*)") for statement in statements)


@pytest.mark.parametrize("query, expected", [
    ("q=laptop&category_id={Computers}", ["Gaming Laptop", "Laptop Pro 15"]),
    ("q=laptop&max_price=100", ["Laptop Stand", "Carry Bag"]),
    ("q=laptop&min_price=1000&max_price=1300", ["Gaming Laptop"]),
    ("q=laptop&in_stock=true", ["Laptop Stand", "Laptop Pro 15", "Carry Bag"]),
    ("q=laptop&sort=price", ["Carry Bag", "Laptop Stand", "Gaming Laptop", "Laptop Pro 15"]),
    ("q=laptop&sort=-price", ["Laptop Pro 15", "Gaming Laptop", "Laptop Stand", "Carry Bag"]),
    ("q=laptop&sort=name", ["Carry Bag", "Gaming Laptop", "Laptop Pro 15", "Laptop Stand"]),
    ("q=laptop&sort=relevance", LAPTOPS),
    ("q=accessories&category_id={Accessories}&in_stock=false", ["Desk Pad", "Wireless Mouse"]),
    ("q=laptop&search_type=sku&search_value=LAP-020", ["Gaming Laptop"]),
])
def test_search_with_the_list_filters_and_sorts(client, shop, query, expected):
    assert search(client, query.format(**shop)) == expected


def test_without_q_the_list_is_unchanged(client, shop):
    newest_first = ["Desk Pad", "Studio Headphones", "Wireless Mouse", "Carry Bag", "Laptop Stand", "Gaming Laptop",
                    "Laptop Pro 15"]
    assert search(client) == newest_first
    assert search(client, "q=") == newest_first
    assert search(client, "q=%20%20") == newest_first
    assert search(client, "sort=relevance") == newest_first  # relevance means nothing without a search
    assert search(client, "search_type=name&search_value=laptop") == ["Carry Bag", "Laptop Stand", "Gaming Laptop",
                                                                       "Laptop Pro 15"]


def test_inactive_products_are_found_only_by_staff(client, shop, manager):
    assert "Laptop Old" not in search(client, "q=retired laptop")
    assert search(client, "q=retired", headers=manager.headers, path=STAFF_LIST) == ["Laptop Old"]
    assert search(client, "q=laptop&is_active=false", headers=manager.headers, path=STAFF_LIST) == ["Laptop Old"]
    assert search(client, "q=laptop&sort=stock", headers=manager.headers, path=STAFF_LIST) == [
        "Gaming Laptop", "Carry Bag", "Laptop Pro 15", "Laptop Old", "Laptop Stand"]


def test_keyset_paging_needs_another_sort_than_relevance(client, shop):
    response = client.get(f"{LIST}?q=laptop&after=")
    assert response.status_code == 400
    assert "after" in response.get_json()["details"]
    first = client.get(f"{LIST}?q=laptop&sort=price&per_page=3&after=").get_json()
    assert [product["name"] for product in first["products"]] == ["Carry Bag", "Laptop Stand", "Gaming Laptop"]
    rest = client.get(f"{LIST}?q=laptop&sort=price&per_page=3&after={first['next_cursor']}").get_json()
    assert [product["name"] for product in rest["products"]] == ["Laptop Pro 15"]
