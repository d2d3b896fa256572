"""Search benchmark: `python -m bench.search_bench --url sqlite:////tmp/search.db` (or a postgresql:// URL).

In process through the Flask test client (no HTTP server: the app and the database alone), catalog cache off, so
every request reads the database (what a cache miss costs). The database is rebuilt from nothing (SQLite: the file
is deleted; PostgreSQL: every table dropped): migrations up to 0009, `--products` products of bench/generate_data.py
(no orders); a copy of it at 0009 (a file copy, or `<database>_0009` made from it as a template) and the original
upgraded to 0010 (the index built over existing products, timed). The product list and cold name searches
(search_type=name, 40 values, each once a round) run interleaved on both, request by request (the machine's noise
falls on both alike); `q` searches and facets on 0010. On PostgreSQL VACUUM ANALYZE runs after the bulk load and
after the migration (which rewrites every product row), as autovacuum would.
Prints p50 / p99 in ms per kind (--rounds rounds of every URL).
"""
import argparse
import os
import random
import shutil
import statistics
import time

from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from bench.generate_data import add_products, ensure_categories

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")
SEARCHES = ["laptop", "premium laptop", "elite camera 1234", "jacket", "yoga mat", "shoes 77", "headphones pro",
            "model 4242", "BULK-00012345", "9000000054321", "lapotp", "smartwach", "keybaord ultra", "desk lamp"]
FACETS = ["q=laptop", "q=premium%20laptop", "q=lapotp", "q=jacket&in_stock=true", "q=camera&max_price=100",
          "q=model%204242", "category_id={category}", "q=shoes&category_id={category}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    app = _app(args.url)
    with app.app_context():
        _fresh(args.url)
        upgrade(directory=MIGRATIONS, revision="0009")
        category_ids = ensure_categories(50)
        add_products(args.products, category_ids, random.Random(42))
        _vacuum()
        before_url = _copy(args.url)
        started = time.perf_counter()
        upgrade(directory=MIGRATIONS)
        built = time.perf_counter() - started
        _vacuum()
    before, after = _app(before_url).test_client(), app.test_client()
    names = [f"search_type=name&search_value={word}%20{n}" for word, n in zip(
        ["laptop", "phone", "camera", "jacket", "lamp"] * 8, range(1234, 99999, 2345))]
    compared = {kind: _interleaved(before, after, queries, rounds) for kind, queries, rounds in (
        ("product list (page 1, page 2 by price)", ["page=1", "page=2&sort=price"], args.rounds),
        ("cold name search", names, 3))}
    searched = {"q search (14 queries)": _time(after, [f"q={query}" for query in SEARCHES], args.rounds),
                "facets (8 filters)": _time(after, [query.format(category=category_ids[0]) for query in FACETS],
                                            args.rounds, path="/api/products/facets")}
    print(f"{make_url(args.url).get_backend_name()}, {args.products} products; migration 0010 built the index in "
          f"{built:.1f} s")
    print("| kind | at 0009 p50 / p99 ms | at 0010 p50 / p99 ms |\n|---|---:|---:|")
    for kind, (at_0009, at_0010) in compared.items():
        print(f"| {kind} (interleaved) | {_figures(at_0009)} | {_figures(at_0010)} |")
    for kind, figures in searched.items():
        print(f"| {kind} | - | {_figures(figures)} |")
    print("\nq search p50 per query (ms): " + ", ".join(
        f"{query} {statistics.median(_time(after, [f'q={query}'], 5)):.1f}" for query in SEARCHES))


def _app(url):
    return create_app("development", {"SQLALCHEMY_DATABASE_URI": url, "CATALOG_CACHE_ENABLED": False,
                                      "RATELIMIT_ENABLED": False, "DEBUG": False})


def _copy(url):
    """A copy of the database at 0009 for the interleaved before / after (a file copy, or a template database)."""
    parsed = make_url(url)
    db.session.remove()
    db.engine.dispose()
    if parsed.get_backend_name() == "sqlite":
        copy = parsed.database.replace(".db", "") + "-0009.db"
        shutil.copyfile(parsed.database, copy)
        return parsed.set(database=copy).render_as_string(hide_password=False)
    copy = f"{parsed.database}_0009"
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{copy}" TEMPLATE "{parsed.database}"')
    server.dispose()
    return parsed.set(database=copy).render_as_string(hide_password=False)


def _interleaved(before, after, queries, rounds):
    """(before times, after times): each request on one database then the other, the first one alternating."""
    times = ([], [])
    for round_number in range(rounds):
        for query in queries:
            for side in ((0, 1) if round_number % 2 == 0 else (1, 0)):
                times[side].extend(_time((before, after)[side], [query], 1))
    return times


def _fresh(url):
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db.engine.dispose()
        if parsed.database and os.path.exists(parsed.database):
            os.remove(parsed.database)
        return
    db.drop_all()
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version, search_words"))
    db.session.commit()


def _vacuum():
    """What autovacuum does after a bulk load or the migration's rewrite of every row (PostgreSQL only)."""
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")


def _time(client, queries, rounds, path="/api/products"):
    """Milliseconds of every request (each URL once per round), asserting 200s."""
    times = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            response = client.get(f"{path}?{query}")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (query, response.get_data(as_text=True))
    return times


def _figures(times):
    if not times:
        return "-"
    ordered = sorted(times)
    return f"{statistics.median(ordered):.1f} / {ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]:.1f}"


if __name__ == "__main__":
    main()
