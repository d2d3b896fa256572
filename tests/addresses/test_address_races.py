"""One default of each kind and at most 50 addresses per book, whatever the concurrency (10 requests at once)."""
from tests.addresses.conftest import BODY, URL
from tests.concurrency import at_once
from tests.factories import make_address

ROUNDS, THREADS = 3, 10


def _defaults(rows, kind):
    return [row["id"] for row in rows if row[kind]]


def test_ten_addresses_made_the_default_shipping_at_once_leave_one(app, customer, stored):
    ids = [make_address(app, customer.id, city=f"City {n}", is_default_billing=n == 0) for n in range(THREADS)]
    for _ in range(ROUNDS):
        responses = at_once(app, *[
            lambda client, address_id=address_id: client.put(f"{URL}/{address_id}", headers=customer.headers,
                                                             json={"is_default_shipping": True})
            for address_id in ids])
        assert [response.status_code for response in responses] == [200] * THREADS
        rows = stored(customer.id)
        assert len(_defaults(rows, "shipping")) == 1
        assert _defaults(rows, "billing") == [ids[0]]  # untouched
        assert [row["id"] for row in rows] == ids


def test_ten_new_default_addresses_posted_at_once_leave_one_of_each_kind(app, customer, stored):
    for round_number in range(ROUNDS):
        responses = at_once(app, *[
            lambda client, n=n: client.post(URL, headers=customer.headers, json={
                **BODY, "city": f"City {round_number}-{n}", "is_default_shipping": True, "is_default_billing": True})
            for n in range(THREADS)])
        assert [response.status_code for response in responses] == [201] * THREADS
        rows = stored(customer.id)
        assert len(rows) == THREADS * (round_number + 1)
        assert len(_defaults(rows, "shipping")) == 1
        assert _defaults(rows, "shipping") == _defaults(rows, "billing")


def test_the_first_addresses_posted_at_once_make_one_default(app, customer, stored):
    responses = at_once(app, *[lambda client, n=n: client.post(URL, headers=customer.headers,
                                                               json={**BODY, "city": f"City {n}"})
                               for n in range(THREADS)])
    assert [response.status_code for response in responses] == [201] * THREADS
    rows = stored(customer.id)
    assert len(rows) == THREADS
    assert len(_defaults(rows, "shipping")) == 1
    assert _defaults(rows, "shipping") == _defaults(rows, "billing")


def test_posts_at_once_never_pass_the_cap(app, customer, stored):
    for n in range(47):
        make_address(app, customer.id, city=f"City {n}")
    responses = at_once(app, *[lambda client, n=n: client.post(URL, headers=customer.headers,
                                                               json={**BODY, "city": f"Racer {n}"})
                               for n in range(THREADS)])
    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == [201] * 3 + [409] * (THREADS - 3)
    assert {response.get_json()["code"] for response in responses if response.status_code == 409} == {"ADDRESS_LIMIT"}
    assert len(stored(customer.id)) == 50
