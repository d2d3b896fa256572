"""The shop's invariants raced over HTTP through one gunicorn (2 workers x 4 threads) on PostgreSQL.

Each race releases its requests together (a threading.Barrier, every client on an already open keep-alive
connection) and is repeated ROUNDS times. The in-process race tests (tests/orders/test_oversell.py,
tests/users/test_last_admin_race.py) line requests up inside the app; these go through sockets, workers and
separate processes' connection pools. No oversell is not repeated here: test_several_servers.py already races 20
buyers for 5 units over two servers of two workers each.

Also raced here: one default address of each kind in a book, a discount code's uses never above its usage_limit,
and a cancelled order giving its code's use back exactly once.
"""
import threading
from collections import Counter
from decimal import Decimal

import pytest
import requests
from sqlalchemy import text

from tests.factories import ORDER_BODY, make_address, make_discount, make_product
from tests.system.harness import Gunicorn, actor, app_context, create_database

pytestmark = pytest.mark.system

ROUNDS = 5
RACERS = 8  # = 2 workers x 4 threads: every request runs at the same time


@pytest.fixture(scope="module")
def shop(postgres_url, tmp_path_factory):
    database_url, app = create_database(postgres_url)
    server = Gunicorn(database_url, tmp_path_factory.mktemp("gunicorn"), workers=2, threads=4)
    yield app, server
    server.stop()
    assert server.logged_tracebacks() == 0


def race(server, calls):
    """Send every (method, path, token, body) at the same instant, each from its own thread and connection;
    returns the responses in order. A client that fails fails the test."""
    sessions = [requests.Session() for _ in calls]
    for session in sessions:  # open each connection now, so the barrier releases requests, not TCP handshakes
        assert session.get(server.url("/health"), timeout=30).status_code == 200
    start = threading.Barrier(len(calls), timeout=30)
    responses, errors = [None] * len(calls), []

    def run(index):
        method, path, token, body = calls[index]
        start.wait()
        try:
            responses[index] = sessions[index].request(method, server.url(path), json=body, timeout=60,
                                                       headers={"Authorization": f"Bearer {token}"})
        except Exception as error:  # noqa: BLE001 - a failed client must fail the test, not vanish with its thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for session in sessions:
        session.close()
    assert errors == []
    return responses


def sql(app, query, **params):
    with app_context(app) as session:
        return session.execute(text(query), params).all()


def scalar(app, query, **params):
    return sql(app, query, **params)[0][0]


def stock(app, product_id):
    return scalar(app, "SELECT stock_quantity FROM products WHERE id = :id", id=product_id)


def outbox_count(app, event_type, order_id):
    return scalar(app, "SELECT count(*) FROM outbox_events WHERE type = :type "
                       "AND (payload::json -> 'order' ->> 'id')::int = :id", type=event_type, id=order_id)


def returns(app, order_id):
    """The order's stock returns in the ledger: (product_id, delta) rows."""
    return sql(app, "SELECT product_id, delta FROM stock_movements WHERE order_id = :id AND kind = 'return'",
               id=order_id)


def history(app, order_id):
    return [tuple(row) for row in sql(app, "SELECT event_type, from_status, to_status FROM order_events "
                                           "WHERE order_id = :id AND to_status IS NOT NULL ORDER BY id",
                                      id=order_id)]


def place_order(app, server, customer, product_id, quantity):
    """A real checkout of `quantity` units; returns the order id."""
    auth = {"Authorization": f"Bearer {customer.access_token}"}
    added = requests.post(server.url("/api/cart/items"), json={"product_id": product_id, "quantity": quantity},
                          headers=auth, timeout=30)
    assert added.status_code == 200, added.text
    placed = requests.post(server.url("/api/orders"), json=ORDER_BODY, headers=auth, timeout=30)
    assert placed.status_code == 201, placed.text
    return placed.json()["order"]["id"]


def move(server, staff, order_id, status):
    moved = requests.put(server.url(f"/api/orders/{order_id}/status"), json={"status": status},
                         headers={"Authorization": f"Bearer {staff.access_token}"}, timeout=30)
    assert moved.status_code == 200, moved.text


def one_winner(responses):
    """Exactly one 200; every other answer a 409 INVALID_TRANSITION. Returns the winner's index."""
    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [200] + [409] * (len(statuses) - 1), [(r.status_code, r.text[:150]) for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"INVALID_TRANSITION"}
    return statuses.index(200)


def test_one_cart_line_per_product_when_one_customer_adds_it_from_many_threads(shop):
    app, server = shop
    for round_ in range(ROUNDS):
        customer, product = actor(app, "customer"), make_product(app, stock=100)
        if round_ % 2:  # odd rounds: the cart exists already; even rounds: the racers also create the cart
            place_order(app, server, customer, make_product(app, stock=5), 1)
        responses = race(server, [("POST", "/api/cart/items", customer.access_token,
                                   {"product_id": product, "quantity": 1})] * RACERS)
        assert [r.status_code for r in responses] == [200] * RACERS, [r.text[:150] for r in responses]
        lines = sql(app, "SELECT i.quantity FROM cart_items i JOIN carts c ON c.id = i.cart_id "
                         "WHERE c.customer_id = :customer AND i.product_id = :product",
                    customer=customer.customer_id, product=product)
        assert [tuple(line) for line in lines] == [(8,)]
        assert scalar(app, "SELECT count(*) FROM carts WHERE customer_id = :c", c=customer.customer_id) == 1
        assert stock(app, product) == 100  # a cart holds no stock


def test_an_order_is_cancelled_once_and_its_stock_returned_once(shop):
    app, server = shop
    manager, admin = actor(app, "manager"), actor(app, "admin")
    winners = Counter()
    for _ in range(ROUNDS):
        customer, product = actor(app, "customer"), make_product(app, stock=20)
        order = place_order(app, server, customer, product, 3)
        assert stock(app, product) == 17
        cancel = ("POST", f"/api/orders/{order}/cancel", customer.access_token, None)
        staff = [("PUT", f"/api/orders/{order}/status", who.access_token, {"status": "cancelled"})
                 for who in (manager, admin)]
        calls = [cancel] * 4 + staff * 2
        winner = one_winner(race(server, calls))
        winners["customer" if winner < 4 else "staff"] += 1
        assert stock(app, product) == 20
        assert [tuple(row) for row in returns(app, order)] == [(product, 3)]
        assert history(app, order)[1:] == [
            ("cancelled" if winner < 4 else "status_changed", "pending", "cancelled")]
        assert outbox_count(app, "order.cancelled", order) == 1
        assert outbox_count(app, "order.status_changed", order) == 1
    print(f"\ncancel winners: {dict(winners)}")


@pytest.mark.parametrize("via", ["status", "status-and-refund-route"])
def test_an_order_is_refunded_once_and_its_stock_returned_once(shop, via):
    app, server = shop
    admin, other_admin, manager = actor(app, "admin"), actor(app, "admin"), actor(app, "manager")
    for round_ in range(ROUNDS):
        customer, product = actor(app, "customer"), make_product(app, stock=20)
        order = place_order(app, server, customer, product, 4)
        if round_ % 2:
            move(server, manager, order, "confirmed")
        calls = [("PUT", f"/api/orders/{order}/status", who.access_token, {"status": "refunded"})
                 for who in (admin, other_admin)] * (RACERS // 2)
        if via == "status-and-refund-route":  # half of them POST /refund (each without an Idempotency-Key)
            calls[::2] = [("POST", f"/api/orders/{order}/refund", admin.access_token, {"reason": "Race"})] * 4
        one_winner(race(server, calls))
        assert stock(app, product) == 20
        assert [tuple(row) for row in returns(app, order)] == [(product, 4)]
        assert [to for _, _, to in history(app, order)].count("refunded") == 1
        assert outbox_count(app, "order.refunded", order) == 1
        assert scalar(app, "SELECT status FROM orders WHERE id = :id", id=order) == "refunded"


def test_an_order_is_never_both_cancelled_and_shipped(shop):
    app, server = shop
    manager = actor(app, "manager")
    finals = Counter()
    for round_ in range(ROUNDS):
        customer, product = actor(app, "customer"), make_product(app, stock=20)
        order = place_order(app, server, customer, product, 5)
        start = "confirmed" if round_ % 2 == 0 else "processing"
        move(server, manager, order, "confirmed")
        if start == "processing":
            move(server, manager, order, "processing")
        cancel = ("POST", f"/api/orders/{order}/cancel", customer.access_token, None)
        ship_status = ("PUT", f"/api/orders/{order}/status", manager.access_token, {"status": "shipped"})
        ship = ("POST", f"/api/orders/{order}/ship", manager.access_token, {"tracking_number": f"TRK{order}"})
        one_winner(race(server, [cancel, ship_status, cancel, ship] * 2))
        final = scalar(app, "SELECT status FROM orders WHERE id = :id", id=order)
        finals[final] += 1
        assert final in ("cancelled", "shipped")
        before = [("created", None, "pending"), ("status_changed", "pending", "confirmed")]
        if start == "processing":
            before.append(("status_changed", "confirmed", "processing"))
        last = history(app, order)[len(before):]
        assert history(app, order)[:len(before)] == before
        assert len(last) == 1 and last[0][1:] == (start, final), last  # one move, from where it was, to the end
        if final == "cancelled":
            assert stock(app, product) == 20
            assert [tuple(row) for row in returns(app, order)] == [(product, 5)]
            assert outbox_count(app, "order.cancelled", order) == 1
        else:
            assert stock(app, product) == 15
            assert returns(app, order) == []
            assert outbox_count(app, "order.cancelled", order) == 0
    print(f"\nfinal statuses: {dict(finals)}")


ADMIN_ACTIONS = {
    "ban": lambda target: ("POST", f"/api/users/{target}/ban", None),
    "demote": lambda target: ("PUT", f"/api/users/{target}/role", {"role": "customer"}),
}


@pytest.mark.parametrize("actions", [("ban", "ban"), ("demote", "demote"), ("ban", "demote")], ids="-".join)
def test_two_admins_removing_each_other_leave_one_active_admin(shop, actions):
    app, server = shop
    losers = Counter()
    for _ in range(ROUNDS):
        with app_context(app) as session:  # the two new admins are the only active ones
            session.execute(text("UPDATE users SET is_active = false WHERE role = 'admin'"))
            session.commit()
        first, second = actor(app, "admin"), actor(app, "admin")
        calls = []
        for (by, target), action in zip(((first, second), (second, first)), actions):
            method, path, body = ADMIN_ACTIONS[action](target.id)
            calls.append((method, path, by.access_token, body))
        responses = race(server, calls)
        statuses = [r.status_code for r in responses]
        assert 200 in statuses and len(set(statuses)) == 2, [r.text[:150] for r in responses]
        loser = responses[1 - statuses.index(200)]
        # The loser either came second to the last-admin check (409), or found its own account already
        # banned (401) or demoted (403) by the winner's committed change.
        assert loser.status_code in (401, 403, 409), loser.text
        losers[loser.status_code] += 1
        survivor = (first, second)[statuses.index(200)]
        active = sql(app, "SELECT id FROM users WHERE role = 'admin' AND is_active")
        assert [row[0] for row in active] == [survivor.id]
    print(f"\n{'-'.join(actions)}: the loser's answers {dict(losers)}")


NEW_ADDRESS = {"first_name": "Race", "last_name": "Winner", "line1": "1 Race Rd", "city": "Boston", "state": "MA",
               "postal_code": "02101", "country": "USA", "is_default_shipping": True, "is_default_billing": True}


def defaults(app, user_id):
    """The ids of the user's default shipping and default billing addresses (a list each: one expected)."""
    rows = sql(app, "SELECT id, is_default_shipping, is_default_billing FROM addresses WHERE user_id = :u "
                    "ORDER BY id", u=user_id)
    return [i for i, shipping, _ in rows if shipping], [i for i, _, billing in rows if billing]


@pytest.mark.parametrize("via", ["put", "post"])
def test_an_address_book_keeps_one_default_of_each_kind(shop, via):
    """8 racers on one customer's book, whose 8 saved addresses (make_address) start with the first as both defaults.

    put: each racer PUTs a different one of the 8 {"is_default_shipping": true}, and in odd rounds also
    "is_default_billing": true. post: each racer POSTs a new address with both defaults (in odd rounds into an empty
    book, so the first-address rule races too). Every answer is a success, and afterwards the book has exactly one
    default of each kind, one of the racers' addresses; a kind nobody claimed is still the first address.
    """
    app, server = shop
    for round_ in range(ROUNDS):
        customer = actor(app, "customer")
        empty = via == "post" and round_ % 2 == 1
        saved = [] if empty else [make_address(app, customer.id, label=f"Saved {i}", is_default_shipping=i == 0,
                                               is_default_billing=i == 0) for i in range(8)]
        if via == "put":
            body = {"is_default_shipping": True}
            if round_ % 2:
                body["is_default_billing"] = True
            calls = [("PUT", f"/api/users/addresses/{address}", customer.access_token, body) for address in saved]
            expected = [200] * 8
        else:
            calls = [("POST", "/api/users/addresses", customer.access_token, {**NEW_ADDRESS, "label": f"New {i}"})
                     for i in range(RACERS)]
            expected = [201] * 8
        responses = race(server, calls)
        assert [r.status_code for r in responses] == expected, [(r.status_code, r.text[:150]) for r in responses]
        shipping, billing = defaults(app, customer.id)
        racers = saved if via == "put" else [r.json()["address"]["id"] for r in responses]
        assert len(shipping) == 1 and shipping[0] in racers, (shipping, racers)
        if via == "put" and round_ % 2 == 0:
            assert billing == [saved[0]]  # nobody asked for the billing default: it did not move
        else:
            assert billing == shipping  # each racer claimed both: the last writer holds both
        total = scalar(app, "SELECT count(*) FROM addresses WHERE user_id = :u", u=customer.id)
        assert total == (8 if via == "put" or empty else 16)


def fill_cart(server, customer, product_id, quantity, code=None):
    """Put quantity units in the customer's cart over HTTP, and attach the code through POST /api/cart/discount."""
    auth = {"Authorization": f"Bearer {customer.access_token}"}
    added = requests.post(server.url("/api/cart/items"), json={"product_id": product_id, "quantity": quantity},
                          headers=auth, timeout=30)
    assert added.status_code == 200, added.text
    if code is not None:
        attached = requests.post(server.url("/api/cart/discount"), json={"code": code}, headers=auth, timeout=30)
        assert attached.status_code == 200, attached.text


def discount_uses(app, discount_id):
    return scalar(app, "SELECT times_used FROM discounts WHERE id = :id", id=discount_id)


def code_of(app, discount_id):
    return scalar(app, "SELECT code FROM discounts WHERE id = :id", id=discount_id)


@pytest.mark.parametrize("limit, expected", [
    (1, [201] + [409] * 7),
    (3, [201] * 3 + [409] * 5),
], ids=["usage_limit-1", "usage_limit-3"])
def test_a_discount_code_is_never_used_beyond_its_limit(shop, limit, expected):
    """8 customers (actor), each with 2 units of one shared product (10.00, stock 20) in the cart and the code
    attached through POST /api/cart/discount (it answers 200 at HEAD), check out at once.

    Exactly `limit` orders are created, each with the code and 2.00 off (10 percent of 20.00); every other answer is
    409 DISCOUNT_EXHAUSTED and leaves its cart (line and code) as it was; times_used == limit; the stock and the
    sale ledger move for the winners only.
    """
    app, server = shop
    for _ in range(ROUNDS):
        discount, product = make_discount(app, usage_limit=limit), make_product(app, stock=20)
        code = code_of(app, discount)
        customers = [actor(app, "customer") for _ in range(RACERS)]
        for customer in customers:
            fill_cart(server, customer, product, 2, code)
        responses = race(server, [("POST", "/api/orders", c.access_token, ORDER_BODY) for c in customers])
        statuses = [r.status_code for r in responses]
        assert sorted(statuses) == expected, [(r.status_code, r.text[:150]) for r in responses]
        assert {r.json()["code"] for r in responses if r.status_code == 409} == {"DISCOUNT_EXHAUSTED"}
        assert discount_uses(app, discount) == limit
        ids = [c.customer_id for c in customers]
        orders = sql(app, "SELECT customer_id, discount_code, discount_amount, subtotal FROM orders "
                          "WHERE customer_id = ANY(:ids) ORDER BY id", ids=ids)
        winners = sorted(c.customer_id for c, s in zip(customers, statuses) if s == 201)
        assert sorted(row[0] for row in orders) == winners
        assert [tuple(row[1:]) for row in orders] == [(code, Decimal("2.00"), Decimal("20.00"))] * limit
        assert scalar(app, "SELECT count(*) FROM orders WHERE discount_id = :d", d=discount) == limit
        assert stock(app, product) == 20 - 2 * limit
        sales = sql(app, "SELECT delta FROM stock_movements WHERE product_id = :p AND kind = 'sale'", p=product)
        assert [row[0] for row in sales] == [-2] * limit
        carts = {row[0]: tuple(row[1:]) for row in sql(
            app, "SELECT c.customer_id, c.discount_id, (SELECT coalesce(sum(i.quantity), 0) FROM cart_items i "
                 "WHERE i.cart_id = c.id) FROM carts c WHERE c.customer_id = ANY(:ids)", ids=ids)}
        assert carts == {c: (None, 0) if c in winners else (discount, 2) for c in ids}


def test_a_cancelled_order_gives_its_discount_use_back_once(shop):
    """An order placed with a code (attached through POST /api/cart/discount) is cancelled by 8 racers at once:
    4 customer POST /cancel, 2 manager and 2 admin PUT status cancelled.

    Even rounds: usage_limit 1, used once by this order; afterwards times_used is exactly 0 (the CHECK and the
    give-back's `times_used > 0` keep it from -1) and the code can be used again. Odd rounds: usage_limit 2, a second
    standing order holds the other use; afterwards times_used is exactly 1, so a second give-back would show (with one
    use, the floor at 0 would hide it). One 200, seven 409 INVALID_TRANSITION, 3 units back to stock once.
    """
    app, server = shop
    manager, admin = actor(app, "manager"), actor(app, "admin")
    for round_ in range(ROUNDS):
        limit = 1 if round_ % 2 == 0 else 2
        discount, product = make_discount(app, usage_limit=limit), make_product(app, stock=20)
        code = code_of(app, discount)
        customer = actor(app, "customer")
        fill_cart(server, customer, product, 3, code)
        placed = requests.post(server.url("/api/orders"), json=ORDER_BODY, headers=customer.headers, timeout=30)
        assert placed.status_code == 201, placed.text
        order = placed.json()["order"]["id"]
        assert placed.json()["order"]["discount_code"] == code
        if limit == 2:  # another customer's standing order holds the second use
            other = actor(app, "customer")
            fill_cart(server, other, product, 1, code)
            kept = requests.post(server.url("/api/orders"), json=ORDER_BODY, headers=other.headers, timeout=30)
            assert kept.status_code == 201, kept.text
        assert discount_uses(app, discount) == limit
        before = stock(app, product)
        assert before == (17 if limit == 1 else 16)
        cancel = ("POST", f"/api/orders/{order}/cancel", customer.access_token, None)
        staff = [("PUT", f"/api/orders/{order}/status", who.access_token, {"status": "cancelled"})
                 for who in (manager, admin)]
        one_winner(race(server, [cancel] * 4 + staff * 2))
        assert scalar(app, "SELECT status FROM orders WHERE id = :id", id=order) == "cancelled"
        assert discount_uses(app, discount) == limit - 1  # 0, then 1: given back once, never twice, never -1
        assert stock(app, product) == before + 3
        assert [tuple(row) for row in returns(app, order)] == [(product, 3)]
        assert outbox_count(app, "order.cancelled", order) == 1
        if limit == 1:  # the use is really back: another customer can take it
            again = actor(app, "customer")
            fill_cart(server, again, product, 1, code)
            reused = requests.post(server.url("/api/orders"), json=ORDER_BODY, headers=again.headers, timeout=30)
            assert reused.status_code == 201, reused.text
            assert discount_uses(app, discount) == 1
