"""Writers racing over the same new words: every write lands in the index, none waits forever or fails."""
from tests.concurrency import at_once
from tests.search.conftest import search

WORDS = ["zephyr", "quokka", "marimba", "obsidian"]


def test_concurrent_creates_with_the_same_new_words_are_all_indexed(client, app, shop, manager):
    def create(n):
        # The same new words in different orders: on PostgreSQL each writer adds them to search_words.
        words = WORDS[n % 4:] + WORDS[:n % 4]
        return lambda racer: racer.post("/api/products/add", headers=manager.headers, json={
            "name": f"{words[0].title()} {words[1]} {n}", "description": " ".join(words), "sku": f"RACE-{n}",
            "price": 10, "stock_quantity": 1, "category_id": shop["Computers"]})

    responses = at_once(app, *[create(n) for n in range(8)])
    assert [response.status_code for response in responses] == [201] * 8
    assert len(search(client, "q=zephyr quokka marimba obsidian&per_page=50")) == 8
    assert len(search(client, "q=obsidan&per_page=50")) == 8  # a typo of a word all of them added at once


def test_a_category_rename_racing_a_product_edit_keeps_both(client, app, shop, manager):
    product = shop["Laptop Pro 15"]
    responses = at_once(
        app,
        lambda racer: racer.put(f"/api/categories/{shop['Computers']}", headers=manager.headers,
                                json={"name": "Workstations"}),
        lambda racer: racer.put(f"/api/products/{product}", headers=manager.headers, json={"name": "Laptop Max 17"}),
    )
    assert [response.status_code for response in responses] == [200, 200]
    assert search(client, "q=workstations") == ["Gaming Laptop", "Laptop Max 17"]
    # No category is "Computers" now: the word is one edit from "computer" of the product's description.
    assert search(client, "q=computers") == ["Laptop Max 17"]
    assert search(client, "q=max 17") == ["Laptop Max 17"]


def test_a_product_moved_into_a_category_being_renamed_gets_the_new_name(client, app, shop, manager):
    moved = [shop["Carry Bag"], shop["Wireless Mouse"], shop["Desk Pad"]]
    responses = at_once(
        app,
        lambda racer: racer.put(f"/api/categories/{shop['Audio Gear']}", headers=manager.headers,
                                json={"name": "Hifi Corner"}),
        *[lambda racer, product=product: racer.put(f"/api/products/{product}", headers=manager.headers,
                                                   json={"category_id": shop["Audio Gear"]}) for product in moved],
    )
    assert [response.status_code for response in responses] == [200] * 4
    assert search(client, "q=hifi corner") == ["Desk Pad", "Studio Headphones", "Wireless Mouse", "Carry Bag"]
    assert search(client, "q=audio gear") == []
