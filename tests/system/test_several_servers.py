"""Two gunicorn servers (2 workers each) share one PostgreSQL and one Redis: limits, revocations, bans and stock
hold across all four processes."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests
from sqlalchemy.engine import make_url

from app.models import Order, Product
from tests.factories import ORDER_BODY, make_product
from tests.system.harness import Gunicorn, actor, app_context, create_database

pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
def shop(postgres_url, redis_url, tmp_path_factory):
    """One database, one Redis database (flushed), and servers A and B on them."""
    limiter_url = make_url(redis_url).set(database="7").render_as_string(hide_password=False)
    redis.Redis.from_url(limiter_url).flushdb()
    database_url, app = create_database(postgres_url)
    env = {"RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": limiter_url, "RATELIMIT_AUTH": "5 per minute",
           "RATELIMIT_DEFAULT": "100000 per minute"}
    log_dir = tmp_path_factory.mktemp("gunicorn")
    a, b = Gunicorn(database_url, log_dir, **env), Gunicorn(database_url, log_dir, **env)
    yield app, a, b, limiter_url
    a.stop()
    b.stop()
    assert a.logged_tracebacks() == 0 and b.logged_tracebacks() == 0


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_login_rate_limit_is_counted_once_across_servers(shop):
    app, a, b, limiter_url = shop
    redis.Redis.from_url(limiter_url).flushdb()
    customer = actor(app, "customer")
    body = {"email_or_username": customer.email, "password": customer.password}
    # Several requests per server so that both workers of each take some: a per-process count would allow 20.
    answers = [requests.post(server.url("/api/auth/login"), json=body, timeout=30).status_code
               for server in (a, a, a, b, b)]
    assert answers == [200] * 5
    sixth = requests.post(b.url("/api/auth/login"), json=body, timeout=30)
    assert sixth.status_code == 429
    assert sixth.json()["code"] and sixth.json()["error"]
    assert int(sixth.headers["Retry-After"]) > 0
    assert requests.post(a.url("/api/auth/login"), json=body, timeout=30).status_code == 429
    # Other routes have their own, generous budget.
    assert requests.get(a.url("/api/products"), timeout=30).status_code == 200


def test_a_logout_on_one_server_is_honoured_by_the_other(shop):
    app, a, b, _ = shop
    customer = actor(app, "customer")
    assert requests.get(b.url("/api/auth/me"), headers=_auth(customer.access_token), timeout=30).status_code == 200
    logout = requests.post(a.url("/api/auth/logout"), json={"refresh_token": customer.refresh_token},
                           headers=_auth(customer.access_token), timeout=30)
    assert logout.status_code == 200
    for server in (b, a, b):  # every worker of both
        me = requests.get(server.url("/api/auth/me"), headers=_auth(customer.access_token), timeout=30)
        assert me.status_code == 401 and me.json()["code"] == "TOKEN_REVOKED"
    refresh = requests.post(b.url("/api/auth/refresh"), headers=_auth(customer.refresh_token), timeout=30)
    assert refresh.status_code == 401


def test_a_ban_on_one_server_is_honoured_by_the_other(shop):
    app, a, b, _ = shop
    admin, manager = actor(app, "admin"), actor(app, "manager")
    assert requests.get(b.url("/api/orders/admin"), headers=_auth(manager.access_token), timeout=30).status_code == 200
    ban = requests.post(a.url(f"/api/users/{manager.id}/ban"), headers=_auth(admin.access_token), timeout=30)
    assert ban.status_code == 200
    for server in (b, b, a):
        response = requests.get(server.url("/api/orders/admin"), headers=_auth(manager.access_token), timeout=30)
        assert response.status_code == 401 and response.json()["code"] == "ACCOUNT_UNAVAILABLE"
    demoted = actor(app, "manager")
    role = requests.put(b.url(f"/api/users/{demoted.id}/role"), json={"role": "customer"},
                        headers=_auth(admin.access_token), timeout=30)
    assert role.status_code == 200
    response = requests.get(a.url("/api/orders/admin"), headers=_auth(demoted.access_token), timeout=30)
    assert response.status_code == 403 and response.json()["your_role"] == "customer"


def test_twenty_buyers_over_both_servers_get_exactly_the_five_in_stock(shop):
    app, a, b, _ = shop
    product = make_product(app, stock=5, price="19.99")
    buyers = [actor(app, "customer") for _ in range(20)]
    for i, buyer in enumerate(buyers):
        server = (a, b)[i % 2]
        added = requests.post(server.url("/api/cart/items"), json={"product_id": product, "quantity": 1},
                              headers=_auth(buyer.access_token), timeout=30)
        assert added.status_code == 200, added.text
    start = threading.Barrier(len(buyers))

    def buy(i):
        start.wait()
        server = (a, b)[i % 2]
        return requests.post(server.url("/api/orders"), json=ORDER_BODY, headers=_auth(buyers[i].access_token),
                             timeout=60)

    with ThreadPoolExecutor(len(buyers)) as pool:
        responses = list(pool.map(buy, range(len(buyers))))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 5 + [409] * 15, [(r.status_code, r.text[:120]) for r in responses]
    assert all(r.json()["code"] == "INSUFFICIENT_STOCK" for r in responses if r.status_code == 409)
    with app_context(app) as session:
        assert session.get(Product, product).stock_quantity == 0
        assert session.query(Order).join(Order.items).filter_by(product_id=product).count() == 5
