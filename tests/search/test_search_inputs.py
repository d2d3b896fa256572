"""Any q is a 200 or a 400, never a 500: words are letters and digits, never query syntax, on both databases."""
import pytest

from tests.search.conftest import FACETS, LIST, STAFF_LIST

HOSTILE = [
    '"', '""', '"laptop', "'", "''", "laptop'", "*", "laptop*", "-laptop", "NOT laptop", "laptop AND", "OR", "AND",
    "NEAR(laptop stand)", "NEAR", "name:laptop", "{name}: laptop", "name : laptop", ":", "lap:*", "'lap':*A", "(", ")",
    "((((laptop", "laptop))", "^laptop", "laptop & mouse", "laptop | mouse", "!laptop", "<->", "laptop <-> stand",
    "a' OR '1'='1", "'; DROP TABLE products; --", "%", "_", "%_%", "\\", "\\\\'", "[", "]", "{", "}", "+", "~", ".",
    "ü", "Ünïcödé", "日本語のラップトップ", "🙂", "🙂laptop🙂", "ｌａｐｔｏｐ", "İstanbul", "ß", "e\u0301", "\u200b",
    "\u202e", "\ufeff", "\ud7ff", "\x01", "\t\n", "NULL", "0", "-1", "1e999", "9" * 200, "a " * 100, "lap " * 50,
    "abcdefghij " * 18, "l" * 200,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_answered(client, shop, manager, query):
    for path, headers in ((LIST, {}), (FACETS, {}), (STAFF_LIST, manager.headers)):
        response = client.get(path, query_string={"q": query}, headers=headers)
        assert response.status_code == 200, (path, query, response.get_data(as_text=True))


@pytest.mark.parametrize("query", ["\x00", "laptop\x00", "\x00' OR 1=1"])
def test_a_nul_character_is_a_400_or_a_search(client, shop, query):
    for path in (LIST, FACETS):
        response = client.get(path, query_string={"q": query})
        assert response.status_code in (200, 400), (path, response.get_data(as_text=True))


@pytest.mark.parametrize("query, expected", [
    ('"laptop stand"', ["Laptop Stand"]),
    ("laptop-stand", ["Laptop Stand"]),
    ("(laptop) AND stand*", []),  # "and" is a word here, and no product has it
    ("laptop, stand!", ["Laptop Stand"]),
    ("  Laptop   STAND  ", ["Laptop Stand"]),
])
def test_punctuation_only_separates_words(client, shop, query, expected):
    response = client.get(LIST, query_string={"q": query})
    assert [product["name"] for product in response.get_json()["products"]] == expected


def test_a_query_longer_than_200_characters_is_a_400(client, shop):
    for path in (LIST, FACETS):
        response = client.get(path, query_string={"q": "x" * 201})
        assert response.status_code == 400
        assert response.get_json()["code"] == "VALIDATION_FAILED"
        assert "q" in response.get_json()["details"]
    assert client.get(LIST, query_string={"q": "x" * 200}).status_code == 200


def test_a_bad_sort_is_still_a_400(client, shop):
    response = client.get(LIST, query_string={"q": "laptop", "sort": "rank"})
    assert response.status_code == 400
    assert "sort" in response.get_json()["details"]
