"""Under gunicorn with two workers, /metrics adds up every worker's requests (prometheus_client's multiprocess
mode), before and after a worker dies; the app's log lines are JSON."""
import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from tests.system.harness import create_database

pytestmark = pytest.mark.system
PRODUCTS = (("method", "GET"), ("status", "200"), ("url_rule", "/api/products"))
COUNT = "flask_http_request_duration_seconds_count"


def products_counted(families):
    return sum(sample.value for family in families for sample in family.samples
               if sample.name == COUNT and tuple(sorted(sample.labels.items())) == PRODUCTS)


def scraped(server):
    response = requests.get(server.url("/metrics"), timeout=30)
    assert response.status_code == 200, response.text
    return products_counted(text_string_to_metric_families(response.text))


def per_worker(directory):
    """{pid: product-list requests} read from each worker's own histogram file."""
    return {int(path.stem.rsplit("_", 1)[1]): products_counted(MultiProcessCollector.merge([str(path)]))
            for path in Path(directory).glob("histogram_*.db")}


def test_metrics_add_up_every_worker(postgres_url, servers, tmp_path):
    database_url, _ = create_database(postgres_url)
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_1.db").write_bytes(b"left by an earlier run")  # would break the sums unless removed
    server = servers(database_url, workers=2, PROMETHEUS_MULTIPROC_DIR=directory)
    assert not (directory / "counter_1.db").exists()

    sent = 0
    with ThreadPoolExecutor(8) as pool:
        # Concurrent batches until both workers have answered some (the kernel decides who accepts).
        while sent < 2000 and len([n for n in per_worker(directory).values() if n]) < 2:
            statuses = list(pool.map(lambda _: requests.get(server.url("/api/products"), timeout=30).status_code,
                                     range(20)))
            assert statuses == [200] * 20
            sent += 20
    workers = per_worker(directory)
    assert len([n for n in workers.values() if n]) == 2, workers
    assert sum(workers.values()) == sent
    assert scraped(server) == sent

    logged = [json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")]
    assert len([entry for entry in logged if entry.get("path") == "/api/products"]) == sent
    assert {entry["status"] for entry in logged if entry.get("path") == "/api/products"} == {200}

    # A worker that dies keeps its counts in the sums; gunicorn starts another in its place.
    dead = max(workers, key=workers.get)
    os.kill(dead, signal.SIGKILL)  # a worker of the gunicorn this test started
    deadline = time.monotonic() + 30
    while not [path for path in directory.glob("gauge_max_*.db") if int(path.stem.rsplit("_", 1)[1]) not in workers]:
        assert time.monotonic() < deadline, "no new worker started"
        time.sleep(0.2)
    assert scraped(server) == sent
