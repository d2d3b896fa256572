"""/metrics: for a local caller or the METRICS_TOKEN bearer token, with per-route request metrics and the shop's
counters."""
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import ADDRESS, make_product

ELSEWHERE = {"REMOTE_ADDR": "10.1.2.3"}
SHOP_COUNTERS = ("shop_checkouts_total", "shop_stock_outs_total", "shop_login_failures_total",
                 "shop_rate_limited_total")
NOT_FOUND = {"error": "Resource not found", "code": "NOT_FOUND"}
NEW_CUSTOMER = {"email": "new.customer@example.com", "username": "newcustomer", "password": "Customer123!",
                "first_name": "New", "last_name": "Customer"}


def scrape(client, **kwargs):
    """{(sample name, sorted labels): value} of one /metrics answer."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def requests_of(samples, method, rule, status):
    """Requests counted by the latency histogram for one method, route and status."""
    labels = (("method", method), ("status", status), ("url_rule", rule))
    return samples.get(("flask_http_request_duration_seconds_count", labels), 0)


def test_a_local_caller_gets_the_metrics(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert "# TYPE shop_checkouts_total counter" in response.get_data(as_text=True)


def test_ipv6_loopback_is_local_too(client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "s3cret-token"},
                                     {"Authorization": "Bearer s3cret-tokenx"}])
def test_another_address_without_the_token_gets_a_404(client, app, monkeypatch, headers):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-token")
    response = client.get("/metrics", headers=headers, environ_base=ELSEWHERE)
    assert response.status_code == 404
    body = response.get_json()
    assert body == {**NOT_FOUND, "request_id": response.headers["X-Request-ID"]}
    assert body.keys() == client.get("/no-such-path").get_json().keys()  # told apart from an unknown path by nothing


def test_the_token_opens_it_from_anywhere(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-token")
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}, environ_base=ELSEWHERE)
    assert response.status_code == 200 and "shop_rate_limited_total" in response.get_data(as_text=True)


def test_without_a_token_configured_no_bearer_opens_it(client):
    for header in ("Bearer ", "Bearer None", "Bearer"):
        assert client.get("/metrics", headers={"Authorization": header}, environ_base=ELSEWHERE).status_code == 404


def test_local_callers_can_be_refused_too(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_ALLOW_LOCAL", False)
    assert client.get("/metrics").status_code == 404
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-token")
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


def test_request_metrics_are_labelled_with_the_route_not_the_path(client, app):
    product_id = make_product(app)
    before = scrape(client)
    for _ in range(3):
        assert client.get(f"/api/products/{product_id}").status_code == 200
    assert client.get("/api/products/999999").status_code == 404
    after = scrape(client)
    rule = "/api/products/<int:product_id>"
    assert requests_of(after, "GET", rule, "200") - requests_of(before, "GET", rule, "200") == 3
    assert requests_of(after, "GET", rule, "404") - requests_of(before, "GET", rule, "404") == 1
    assert not [key for key in after if ("url_rule", f"/api/products/{product_id}") in key[1]]


def test_scrapes_are_not_counted_as_requests(client):
    before = scrape(client)
    after = scrape(client)
    assert requests_of(after, "GET", "/metrics", "200") == requests_of(before, "GET", "/metrics", "200") == 0


def test_each_shop_counter_counts_its_answer_once(client, app, customer, rate_limits, monkeypatch):
    in_stock, scarce = make_product(app, stock=5), make_product(app, stock=1)
    before = scrape(client)

    assert client.post("/api/cart/items", json={"product_id": in_stock, "quantity": 2},
                       headers=customer.headers).status_code == 200
    checkout = client.post("/api/orders", json={"shipping_address": ADDRESS}, headers=customer.headers)
    assert checkout.status_code == 201, checkout.get_json()
    stock_out = client.post("/api/cart/items", json={"product_id": scarce, "quantity": 2}, headers=customer.headers)
    assert (stock_out.status_code, stock_out.get_json()["code"]) == (409, "INSUFFICIENT_STOCK")
    failed_login = client.post("/api/auth/login", json={"email_or_username": customer.email, "password": "wrong"})
    assert failed_login.status_code == 401
    # Neighbours that must not count: another 409, a good login, another route's 201, another route's 401.
    again = client.post("/api/auth/register", json={**NEW_CUSTOMER, "email": customer.email})
    assert again.status_code == 409 and again.get_json()["code"] != "INSUFFICIENT_STOCK"
    assert client.post("/api/auth/register", json=NEW_CUSTOMER).status_code == 201
    assert client.post("/api/auth/login", json={"email_or_username": customer.email,
                                                "password": customer.password}).status_code == 200
    monkeypatch.setitem(app.config, "RATELIMIT_AUTH", "1 per minute")
    assert [client.post("/api/auth/refresh").status_code for _ in range(2)] == [401, 429]

    after = scrape(client)
    rises = {name: after[(name, ())] - before[(name, ())] for name in SHOP_COUNTERS}
    assert rises == {"shop_checkouts_total": 1, "shop_stock_outs_total": 1, "shop_login_failures_total": 1,
                     "shop_rate_limited_total": 1}


def test_metrics_can_be_switched_off(make_app):
    client = make_app("testing", METRICS_ENABLED=False).test_client()
    assert client.get("/metrics").status_code == 404
    assert "metrics" not in client.application.extensions
