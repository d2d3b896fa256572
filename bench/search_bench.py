"""Search benchmark: `python -m bench.search_bench --url sqlite:////tmp/search.db` (or a postgresql:// URL).

Each side is a worker process of its own tree's app on its own database, timing each request in process through
the Flask test client (no HTTP server), catalog cache off, so every request reads the database (what a cache miss
costs). The database is rebuilt from nothing (SQLite: the file is deleted; PostgreSQL: every table dropped):
migrations up to 0009, `--products` products of bench/generate_data.py (no orders); a copy of it at 0009 (a file
copy, or `<database>_0009` made from it as a template), served by the tree before issue #16 (`--before`, checked
out by `git worktree add --detach` and removed afterwards: the head's models do not read a database without the
variants' columns); the original upgraded to 0011 (the index of 0010 built over existing products, timed), the
variants of generate_data added (a tenth of the products, 3 to 8 each), then upgraded to the head (0012 reindexes
the products with variants, timed) and served by this tree. The product list and cold name searches
(search_type=name, 40 values, each once a round) run interleaved, request by request (the machine's noise falls
on every side alike); `q` searches (one of them an exact variant SKU) and facets on the head. On SQLite
ANALYZE runs after the bulk load and after each migration (what the worker does every hour). On PostgreSQL VACUUM
ANALYZE runs after the bulk load and after each migration (which rewrite product rows), twice, as autovacuum's
passes would over time: one pass right after a bulk write left 0-58% of the products pages all-visible here, the
second 100%, and the list's count reads an index only over all-visible pages (below that it reads the table); the
products table's size and its all-visible share on each side are printed.
Prints p50 / p99 in ms per kind (--rounds rounds of every URL).
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from bench.generate_data import add_products, add_variants, ensure_categories

TREE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
MIGRATIONS = os.path.join(TREE, "migrations")
BEFORE_16 = "47d8bfb^"  # the landing before the search of issue #16 (migration 0010)
# A worker: the app of its tree on one database; a line in (a path), the request's ms, status and error body out.
WORKER = r"""
import sys, time
from app import create_app
app = create_app("development", {"SQLALCHEMY_DATABASE_URI": sys.argv[1], "CATALOG_CACHE_ENABLED": False,
                                 "RATELIMIT_ENABLED": False, "DEBUG": False})
client = app.test_client()
for line in sys.stdin:
    started = time.perf_counter()
    response = client.get(line.strip())
    took = (time.perf_counter() - started) * 1000
    body = "" if response.status_code == 200 else response.get_data(as_text=True).replace("\n", " ")[:300]
    print(f"{took:.3f} {response.status_code} {body}", flush=True)
"""
SEARCHES = ["laptop", "premium laptop", "elite camera 1234", "jacket", "yoga mat", "shoes 77", "headphones pro",
            "model 4242", "BULK-00012345", "9000000054321", "lapotp", "smartwach", "keybaord ultra", "desk lamp"]
FACETS = ["q=laptop", "q=premium%20laptop", "q=lapotp", "q=jacket&in_stock=true", "q=camera&max_price=100",
          "q=model%204242", "category_id={category}", "q=shoes&category_id={category}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--before", default=BEFORE_16, help="the revision whose code serves the 0009 copy")
    args = parser.parse_args()
    app = _app(args.url)
    with app.app_context():
        _fresh(args.url)
        upgrade(directory=MIGRATIONS, revision="0009")
        category_ids = ensure_categories(50)
        products = add_products(args.products, category_ids, random.Random(42))
        _vacuum()
        before_url = _copy(args.url, "0009")
        built = {"0010": _upgrade("0011")}
        variant_count = add_variants(products, random.Random(7))
        _vacuum()
        built["0012"] = _upgrade("head")
        variant_sku = db.session.scalar(text("SELECT sku FROM product_variants WHERE is_active ORDER BY id LIMIT 1"))
        db.session.remove()
        db.engine.dispose()
    for label, url in (("at 0009", before_url), ("at head", args.url)):
        _print_size(label, url)
    with tempfile.TemporaryDirectory() as scratch:
        before_tree = os.path.join(scratch, "before")
        subprocess.run(["git", "-C", TREE, "worktree", "add", "--detach", "-q", before_tree, args.before], check=True)
        sides = [(before_tree, before_url, f"{args.before} at 0009"), (TREE, args.url, "head at 0012")]
        clients = []
        try:
            clients.extend(_Worker(tree, url) for tree, url, _ in sides)
            _measure(args, clients, [label for _, _, label in sides], category_ids, variant_sku, variant_count, built)
        finally:
            for client in clients:
                client.close()
            subprocess.run(["git", "-C", TREE, "worktree", "remove", "--force", before_tree], check=False)


def _measure(args, clients, labels, category_ids, variant_sku, variant_count, built):
    searches = [*SEARCHES, variant_sku]
    names = [f"search_type=name&search_value={word}%20{n}" for word, n in zip(
        ["laptop", "phone", "camera", "jacket", "lamp"] * 8, range(1234, 99999, 2345))]
    compared = {kind: _interleaved(clients, queries, rounds) for kind, queries, rounds in (
        ("product list page 1", ["page=1"], args.rounds),
        ("product list page 2 by price", ["page=2&sort=price"], args.rounds),
        ("cold name search", names, 3))}
    searched = {f"q search ({len(searches)} queries)": [
                    _time(client, [f"q={query}" for query in searches], args.rounds) for client in clients[1:]],
                "facets (8 filters)": [
                    _time(client, [query.format(category=category_ids[0]) for query in FACETS], args.rounds,
                          path="/api/products/facets") for client in clients[1:]]}
    print(f"{make_url(args.url).get_backend_name()}, {args.products} products, {variant_count} variants; "
          f"migrations 0010-0011 (the index built) took {built['0010']:.1f} s, "
          f"0012 (variants reindexed) {built['0012']:.1f} s")
    print(f"| kind | {' | '.join(f'{label} p50 / p99 ms' for label in labels)} |\n|---|"
          + "---:|" * len(labels))
    for kind, sides in compared.items():
        print(f"| {kind} (interleaved) | {' | '.join(_figures(times) for times in sides)} |")
    for kind, sides in searched.items():
        print(f"| {kind} | - | {' | '.join(_figures(times) for times in sides)} |")
    print("\nq search p50 per query at head (ms): " + ", ".join(
        f"{query} {statistics.median(_time(clients[1], [f'q={query}'], 5)):.1f}" for query in searches))


class _Worker:
    """A process of one tree's app on one database, answering GET paths one at a time."""

    def __init__(self, tree, url):
        env = {**os.environ, "PYTHONPATH": tree, "FLASK_ENV": "development"}
        self.process = subprocess.Popen([sys.executable, "-c", WORKER, url], cwd=tree, env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def get(self, path):
        """(milliseconds, status, error body) of a GET."""
        self.process.stdin.write(path + "\n")
        self.process.stdin.flush()
        took, status, body = (self.process.stdout.readline().rstrip("\n") + "  ").split(" ", 2)
        return float(took), int(status), body

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _app(url):
    return create_app("development", {"SQLALCHEMY_DATABASE_URI": url, "CATALOG_CACHE_ENABLED": False,
                                      "RATELIMIT_ENABLED": False, "DEBUG": False})


def _upgrade(revision):
    """Seconds the migrations up to revision took (then VACUUM ANALYZE)."""
    db.session.remove()
    started = time.perf_counter()
    upgrade(directory=MIGRATIONS, revision=revision)
    took = time.perf_counter() - started
    _vacuum()
    return took


def _print_size(label, url):
    """PostgreSQL: the products table's heap and its total with indexes and TOAST (what the list's count scans)."""
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            heap, total, visible = connection.exec_driver_sql(
                "SELECT pg_size_pretty(pg_relation_size('products')), "
                "pg_size_pretty(pg_total_relation_size('products')), round(100.0 * relallvisible / greatest(relpages, 1)) FROM pg_class WHERE relname = 'products'").one()
        print(f"products {label}: heap {heap}, with indexes and TOAST {total}, {visible}% of its pages all-visible")
    engine.dispose()


def _copy(url, suffix):
    """A copy of the database as it is now (a file copy, or a template database)."""
    parsed = make_url(url)
    db.session.remove()
    db.engine.dispose()
    if parsed.get_backend_name() == "sqlite":
        copy = parsed.database.replace(".db", "") + f"-{suffix}.db"
        shutil.copyfile(parsed.database, copy)
        return parsed.set(database=copy).render_as_string(hide_password=False)
    copy = f"{parsed.database}_{suffix}"
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{copy}" TEMPLATE "{parsed.database}"')
    server.dispose()
    return parsed.set(database=copy).render_as_string(hide_password=False)


def _interleaved(clients, queries, rounds):
    """[times per client]: each request on every database in turn, the first one rotating."""
    times = [[] for _ in clients]
    for round_number in range(rounds):
        for query in queries:
            for step in range(len(clients)):
                side = (round_number + step) % len(clients)
                times[side].extend(_time(clients[side], [query], 1))
    return times


def _fresh(url):
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db.engine.dispose()
        if parsed.database and os.path.exists(parsed.database):
            os.remove(parsed.database)
        return
    db.session.execute(text("DROP TABLE IF EXISTS product_option_values"))  # it references products
    db.session.commit()
    db.drop_all()
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version, search_words, products_search_vectors"))
    db.session.commit()


def _vacuum():
    """What autovacuum does, in time, after a bulk load or a migration's rewrite of rows; on SQLite the worker's
    hourly statistics refresh (maintenance_repository: ANALYZE)."""
    db.session.remove()
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for _ in range(2):  # the second pass sets the visibility map the first leaves partly unset
                connection.exec_driver_sql("VACUUM ANALYZE")


def _time(client, queries, rounds, path="/api/products"):
    """Milliseconds of every request (each URL once per round), asserting 200s."""
    times = []
    for _ in range(rounds):
        for query in queries:
            took, status, body = client.get(f"{path}?{query}")
            times.append(took)
            assert status == 200, (query, status, body)
    return times


def _figures(times):
    if not times:
        return "-"
    ordered = sorted(times)
    return f"{statistics.median(ordered):.1f} / {ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]:.1f}"


if __name__ == "__main__":
    main()
