"""The shop-traffic benchmark: `bash bench/shop.sh` (see bench/README.md).

A random mix of shop requests (anonymous catalog reads, 40 customers shopping, staff order lists) drawn by
a wrk lua script (bench/shop.lua) against gunicorn (2 sync workers, FLASK_ENV=production, random secrets,
no rate limits) on 127.0.0.1, on SQLite and on PostgreSQL. Reports req/s, server CPU ms per request
(utime + stime of the gunicorn master and workers from /proc), p50/p99 and 4xx/5xx for the mix, the same
for each kind alone, and the bare-Flask ceiling. `--compare REV` measures REV too (a git worktree with its
own fresh database, built by its own code), interleaved with the working tree.
"""
import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from bench.run import CLK_TCK, GUNICORN, PYTHON, ROOT, Server, free_port, machine  # noqa: F401

RESULTS = ROOT / "bench" / "results"
LUA_TEMPLATE = ROOT / "bench" / "shop.lua"
PREPARE = ROOT / "bench" / "prepare_shop.py"
CONNECTIONS, THREADS = 16, 2
WARMUP = 1
HISTORY = 21  # orders each customer has before the first run: page 2 of their orders exists
ADDRESS = {"line1": "1 Bench Street", "city": "Springfield", "state": "IL", "postal_code": "62701",
           "country": "USA"}
CHECKOUT_BODY = json.dumps({"shipping_address": ADDRESS, "payment_method": "credit_card"})

# kind, weight in the mix (%), what it requests
KINDS = [
    ("browse", 30, "GET /api/products?page=1..7 (15% with per_page 12/24/48, 15% with a sort)"),
    ("filters", 12, "GET /api/products?category_id=leaf | category_id=parent&include_subcategories=true | featured=true"),
    ("search", 8, "GET /api/products?search_type=name&search_value=<one of ~40 terms from product names>"),
    ("product", 15, "GET /api/products/<id>, every active product"),
    ("categories", 6, "GET /api/categories | ?parent_only=true | /api/categories/<id>"),
    ("cart_read", 8, "GET /api/cart (customer)"),
    ("cart_add", 5, "POST /api/cart/items {product_id, quantity: 1} (customer)"),
    ("checkout", 1, "POST /api/orders {shipping_address, payment_method: credit_card} (customer)"),
    ("my_orders", 6, "GET /api/orders, 25% ?page=2 (customer)"),
    ("me", 4, "GET /api/auth/me (customer)"),
    ("staff_orders", 3, "GET /api/orders/admin?page=1..5 (admin or manager)"),
    ("today", 2, "GET /api/orders/today (admin, manager or cashier)"),
]
DROPPED_ENV = ("RATELIMIT_", "DATABASE_URL", "TEST_DATABASE_URL", "FLASK_", "JWT_", "SQLALCHEMY_", "PYTHONPATH",
               "SECRET_KEY")


STARTED = time.monotonic()


def log(message):
    elapsed = int(time.monotonic() - STARTED)
    print(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {message}", flush=True)


def lua(value):
    """A Lua literal for plain JSON-like data (ASCII strings only)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        assert value.isascii(), value
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(map(lua, value)) + "}"
    return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"


def git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


class Revision:
    """A tree of the application code: the working tree, or a commit checked out in a temporary worktree."""

    def __init__(self, label, root, sha, worktree=False, settings=None):
        self.label, self.root, self.sha, self.worktree = label, Path(root), sha, worktree
        self.settings = settings or {}  # extra environment of this revision's set-up and server (--set)

    @classmethod
    def current(cls, settings=None):
        dirty = git("status", "--porcelain", "--", "app", "migrations", "config.py", "run.py",
                    "seed_data_go2market.py", "gunicorn.conf.py", "requirements.txt", "requirements-local.txt")
        sha = git("rev-parse", "--short", "HEAD")
        label = "current" + "".join(f" {name}={value}" for name, value in (settings or {}).items())
        return cls(label, ROOT, sha + (" + uncommitted changes" if dirty else ""), settings=settings)

    @classmethod
    def checkout(cls, rev, parent):
        sha = git("rev-parse", "--short", f"{rev}^{{commit}}")
        path = Path(parent) / f"worktree-{sha}"
        git("worktree", "add", "--detach", str(path), sha)
        return cls(f"compare {rev}" if rev != sha else f"compare {sha}", path, sha, worktree=True)

    def remove(self):
        if self.worktree:
            subprocess.run(["git", "worktree", "remove", "--force", str(self.root)], cwd=ROOT, check=False)


# bench/gunicorn_bench.py for any revision: that revision's gunicorn.conf.py without the access log.
GUNICORN_CONFIG = """from pathlib import Path
_conf = Path({conf!r})
if _conf.exists():
    exec(compile(_conf.read_text(), "gunicorn.conf.py", "exec"))
accesslog = None
"""


class RevisionServer(Server):
    """bench.run.Server with the working directory, code and gunicorn.conf.py of a revision."""

    def __init__(self, root, app_spec, env, log_path):  # noqa: super().__init__ would start it in ROOT
        self.port = free_port()
        config = Path(log_path).with_suffix(".gunicorn.py")
        config.write_text(GUNICORN_CONFIG.format(conf=str(Path(root) / "gunicorn.conf.py")))
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            [GUNICORN, "-c", str(config), "--bind", f"127.0.0.1:{self.port}", app_spec],
            cwd=root, env={**env, "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "1"}, stdout=self.log,
            stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"


def revision_env(root, workdir, database_url):
    """The environment a revision's set-up and server run with: that revision's defaults for everything else."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(DROPPED_ENV) and not ("CACHE" in k and not k.startswith("XDG_"))}
    env.update(FLASK_APP="run.py", FLASK_ENV="production", SECRET_KEY=secrets.token_urlsafe(48),
               JWT_SECRET_KEY=secrets.token_urlsafe(48), JWT_ACCESS_TOKEN_EXPIRES="21600",
               RATELIMIT_ENABLED="false", DATABASE_URL=database_url, UPLOAD_FOLDER=f"{workdir}/uploads",
               TASK_QUEUE_URL=f"sqlite:///{workdir}/tasks.db", PYTHONPATH=str(root))
    return env


def shell(args, cwd, env, log_path):
    with open(log_path, "a") as handle:
        done = subprocess.run(args, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT)
    if done.returncode:
        sys.exit(f"{' '.join(map(str, args))} failed:\n" + "\n".join(Path(log_path).read_text().splitlines()[-25:]))


class Postgres:
    """Fresh databases on the throwaway server of shop.sh (PG_URL): one per measured revision."""

    def __init__(self, url):
        from sqlalchemy.engine import make_url
        self.url = make_url(url)
        self.created = []

    def _admin(self):
        import psycopg2
        connection = psycopg2.connect(host=self.url.host, port=self.url.port, user=self.url.username,
                                      password=self.url.password, dbname=self.url.database)
        connection.autocommit = True
        return connection

    def _execute(self, *statements):
        connection = self._admin()  # not `with connection`: psycopg2 would open a transaction block
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()

    def create(self, name):
        self._execute(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self):
        for name in self.created:
            try:
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as error:  # noqa: BLE001 (the throwaway server goes away anyway)
                log(f"could not drop {name}: {error}")
        self.created = []


class PostgresCpu:
    """CPU time of the PostgreSQL server (postmaster, its live backends, and the backends it reaped)."""

    def __init__(self, data_dir):
        self.pid = int(Path(data_dir, "postmaster.pid").read_text().split()[0])

    def cpu_seconds(self):
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
        for child in Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split():
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / CLK_TCK


def call(base, method, path, token=None, body=None):
    """One untimed HTTP request; (status, JSON body or None)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read()[:300]


class Target:
    """One revision on one database: its prepared database, its facts, its server and its wrk script."""

    def __init__(self, revision, database, workdir, database_url, spares, db_cpu=None):
        self.revision, self.database, self.workdir, self.db_cpu = revision, database, Path(workdir), db_cpu
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.env = {**revision_env(revision.root, self.workdir, database_url), **revision.settings}
        setup_log = self.workdir / "setup.log"
        log(f"  {revision.label}: migrate + seed + prepare ({database}) ...")
        shell([PYTHON, "-m", "flask", "db", "upgrade"], revision.root, self.env, setup_log)
        shell([PYTHON, "seed_data_go2market.py"], revision.root, self.env, setup_log)
        shell([PYTHON, str(PREPARE), "--out", str(self.workdir), "--spares", str(spares)], revision.root, self.env,
              setup_log)
        self.facts = json.loads((self.workdir / "shop.json").read_text())
        self.spare_offset = 0
        self.script = self.write_script()
        self.server = RevisionServer(revision.root, "run:app", self.env, self.workdir / "api.log")
        self.server.wait_ready("/health")

    def write_script(self):
        f = self.facts
        data = {"products": f["product_ids"], "categories": f["category_ids"], "leaves": f["leaf_category_ids"],
                "parents": f["parent_category_ids"], "terms": f["search_terms"], "customers": f["customer_tokens"],
                "admin": f["admin_token"], "manager": f["manager_token"], "cashier": f["cashier_token"],
                "spares_file": str(self.workdir / "spares.txt"), "threads": THREADS,
                "checkout_body": CHECKOUT_BODY, "weights": [[k, w] for k, w, _ in KINDS] + [["static", 0]]}
        path = self.workdir / "shop.lua"
        path.write_text(LUA_TEMPLATE.read_text().replace("__DATA__", lua(data), 1))
        return str(path)

    def slot_product(self, customer, slot):
        """The product of a customer's add slot (0-based): the same rule as bench/shop.lua."""
        products = self.facts["product_ids"]
        return products[(customer * 3 + slot) % len(products)]

    def _each_customer(self, work):
        with ThreadPoolExecutor(4) as pool:
            failures = [f for f in pool.map(work, range(len(self.facts["customer_tokens"]))) if f]
        if failures:
            sys.exit(f"{self.revision.label} ({self.database}): untimed set-up request failed: {failures[0]}")

    def make_history(self, orders):
        """Untimed: each customer checks out `orders` times through the API (their lists and today's orders fill)."""
        products = self.facts["product_ids"]

        def work(n):
            token = self.facts["customer_tokens"][n]
            for k in range(orders):
                status, body = call(self.server.url, "POST", "/api/cart/items", token,
                                    {"product_id": products[(n * 5 + k * 11) % len(products)], "quantity": 1})
                if status != 200:
                    return f"cart add {status} {body}"
                status, body = call(self.server.url, "POST", "/api/orders", token, json.loads(CHECKOUT_BODY))
                if status != 201:
                    return f"checkout {status} {body}"
            return None

        self._each_customer(work)

    def refill(self):
        """Untimed, before every run: each customer's cart holds exactly one unit of its slot-1 product."""
        def work(n):
            token = self.facts["customer_tokens"][n]
            status, body = call(self.server.url, "POST", "/api/cart/clear", token)
            if status != 200:
                return f"cart clear {status} {body}"
            status, body = call(self.server.url, "POST", "/api/cart/items", token,
                                {"product_id": self.slot_product(n, 0), "quantity": 1})
            return None if status == 200 else f"cart add {status} {body}"

        self._each_customer(work)

    def run(self, kind, duration, seed, warmup=WARMUP):
        """A warm-up, the refill, then one measured wrk run of the mix or one kind."""
        if warmup:
            self._wrk(self.server, kind, warmup, seed + 500_000)
        if kind != "static":
            self.refill()
        return self._wrk(self.server, kind, duration, seed)

    def _wrk(self, server, kind, duration, seed):
        return wrk(server, self.script, kind, duration, seed, self)

    def stop(self):
        self.server.stop()


def wrk(server, script, kind, duration, seed, target=None):
    """One wrk run; server CPU measured around it. Returns a dict of figures."""
    offset = target.spare_offset if target else 0
    db_cpu = target.db_cpu if target else None
    db_before = db_cpu.cpu_seconds() if db_cpu else 0
    before = server.cpu_seconds()
    done = subprocess.run(["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "-s", script,
                           server.url + "/", "--", kind, str(seed), str(offset)],
                          capture_output=True, text=True)
    cpu = server.cpu_seconds() - before
    db_seconds = db_cpu.cpu_seconds() - db_before if db_cpu else None
    line = next((line for line in done.stdout.splitlines() if line.startswith("SHOP_JSON ")), None)
    if done.returncode or line is None:
        sys.exit(f"wrk failed ({kind}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(line[len("SHOP_JSON "):])
    if target:
        target.spare_offset = offset + THREADS * (data["spare_max"] + 1)
    requests = max(data["requests"], 1)
    data.update(rps=data["requests"] / (data["duration_us"] / 1e6), cpu_s=cpu, cpu_ms=cpu * 1000 / requests,
                p50_ms=data["p50_us"] / 1000, p99_ms=data["p99_us"] / 1000,
                errors=data["n4xx"] + data["n5xx"] + data["socket_errors"], db_cpu_s=db_seconds,
                db_cpu_ms=db_seconds * 1000 / requests if db_cpu else None)
    return data


def combine(runs):
    """Rounds of one revision: req/s and CPU over all requests, latency percentiles averaged over the rounds."""
    requests = sum(r["requests"] for r in runs)
    out = {key: sum(r[key] for r in runs) for key in ("requests", "n2xx", "n3xx", "n4xx", "n5xx", "socket_errors",
                                                        "regular_checkouts", "spare_used", "spare_missing")}
    out.update(rps=requests / sum(r["duration_us"] / 1e6 for r in runs),
               cpu_ms=sum(r["cpu_s"] for r in runs) * 1000 / max(requests, 1),
               db_cpu_ms=(sum(r["db_cpu_s"] for r in runs) * 1000 / max(requests, 1)
                          if runs[0]["db_cpu_s"] is not None else None),
               p50_ms=sum(r["p50_ms"] for r in runs) / len(runs), p99_ms=sum(r["p99_ms"] for r in runs) / len(runs),
               rounds=runs, issued={}, first_errors=[e for r in runs for e in r["first_errors"]])
    for r in runs:
        for kind, n in r["issued"].items():
            out["issued"][kind] = out["issued"].get(kind, 0) + n
    out["errors"] = out["n4xx"] + out["n5xx"] + out["socket_errors"]
    return out


def ceiling(workdir, duration, seed):
    """The bare Flask app of bench/ceiling_app.py under the same gunicorn settings and the same lua (kind static)."""
    env = revision_env(ROOT, workdir, "sqlite://")
    server = RevisionServer(ROOT, "bench.ceiling_app:app", env, Path(workdir) / "ceiling.log")
    script = Path(workdir) / "ceiling.lua"
    script.write_text(LUA_TEMPLATE.read_text().replace("__DATA__", lua({
        "products": [1], "categories": [1], "leaves": [1], "parents": [], "terms": ["x"], "customers": ["x"] * THREADS,
        "admin": "x", "manager": "x", "cashier": "x", "spares_file": "", "threads": THREADS, "checkout_body": "{}",
        "weights": [[k, w] for k, w, _ in KINDS] + [["static", 0]]}), 1))
    try:
        server.wait_ready("/static.json")
        wrk(server, str(script), "static", WARMUP, seed + 500_000)
        return wrk(server, str(script), "static", duration, seed)
    finally:
        server.stop()


def spare_count(args):
    """Spare buyers per database: enough for the checkout-alone runs at 500 checkouts/s and the mix's overlaps."""
    kinds = 0 if args.no_kinds else 500 * (args.kind_duration + WARMUP)
    return kinds + 20 * (args.duration + WARMUP) * args.rounds + 500


def measure_database(database, revisions, args, workdir, postgres):
    log(f"== {database}")
    targets = []
    try:
        for n, revision in enumerate(revisions):
            if database == "sqlite":
                url = f"sqlite:///{workdir}/{database}-{n}/shop.db"
                Path(workdir, f"{database}-{n}").mkdir(parents=True, exist_ok=True)
            else:
                url = postgres.create(f"shop_{n}_{os.getpid()}")
            target = Target(revision, database, Path(workdir) / f"{database}-{n}", url, spare_count(args),
                            PostgresCpu(args.pg_data) if database == "postgres" and args.pg_data else None)
            targets.append(target)
            log(f"  {revision.label}: {HISTORY} orders per customer through the API (untimed) ...")
            target.make_history(HISTORY)
        result = {"targets": [t.revision.label for t in targets],
                  "facts": {t.revision.label: {k: v for k, v in t.facts.items() if not k.endswith(("token", "tokens"))}
                            for t in targets}}
        log("  ceiling (start) ...")
        result["ceiling_start"] = ceiling(workdir, args.kind_duration, 1)
        show("ceiling", result["ceiling_start"])
        mix_runs = {t.revision.label: [] for t in targets}
        for round_no in range(args.rounds):
            for target in targets:
                r = target.run("mix", args.duration, 1000 + round_no)
                mix_runs[target.revision.label].append(r)
                show(f"mix round {round_no + 1} {target.revision.label}", r)
        result["mix"] = {label: combine(runs) for label, runs in mix_runs.items()}
        result["kinds"] = {t.revision.label: {} for t in targets}
        if not args.no_kinds:
            for n, (kind, _, _) in enumerate(KINDS):
                for target in targets:
                    r = target.run(kind, args.kind_duration, 2000 + n)
                    result["kinds"][target.revision.label][kind] = r
                    show(f"{kind} {target.revision.label}", r)
        log("  ceiling (end) ...")
        result["ceiling_end"] = ceiling(workdir, args.kind_duration, 2)
        show("ceiling", result["ceiling_end"])
        for target in targets:
            status, body = call(target.server.url, "GET", "/api/orders/admin?per_page=1", target.facts["admin_token"])
            result["facts"][target.revision.label]["orders_at_end"] = body.get("total") if status == 200 else None
        return result
    finally:
        for target in targets:
            target.stop()
        if postgres:
            postgres.drop_all()


def show(label, r):
    log(f"    {label:<30} {r['rps']:8.0f} req/s  cpu {r['cpu_ms']:6.2f} ms/req  p50 {r['p50_ms']:7.2f}  "
        f"p99 {r['p99_ms']:7.2f} ms  " + (f"pg cpu {r['db_cpu_ms']:6.2f} ms/req  " if r.get("db_cpu_ms") is not None
                                           else "") + f"4xx {r['n4xx']}  5xx {r['n5xx']}  socket {r['socket_errors']}")
    for error in r.get("first_errors", []):
        log(f"      first error of a wrk thread: {error}")


def ratio(new, old):
    return f"{new / old:.2f}x" if old else "n/a"


def report(results, revisions, args, started, elapsed, loads):
    kinds_weight = {k: w for k, w, _ in KINDS}
    lines = [f"## Go2Market shop-traffic benchmark, {started:%Y-%m-%d %H:%M} UTC", "",
             f"Machine: {machine()}; load average {loads[0]} at the start, {loads[1]} at the end. "
             f"Whole run {elapsed / 60:.1f} min.",
             "Revisions: " + "; ".join(f"**{r.label}** = {r.sha}" + (" (working tree)" if not r.worktree else "")
                                       for r in revisions) + ".",
             f"`wrk -t{THREADS} -c{CONNECTIONS}`, mix {args.rounds} x {args.duration} s per revision"
             + ("" if args.no_kinds else f", each kind alone {args.kind_duration} s")
             + f", {WARMUP} s warm-up before every run; revisions interleaved run by run. gunicorn 2 sync workers "
             "with each revision's gunicorn.conf.py minus the access log (as bench/gunicorn_bench.py), "
             "FLASK_ENV=production, random secrets, RATELIMIT_ENABLED=false, 127.0.0.1; "
             "every other setting is the revision's default. Server CPU = utime + stime of the gunicorn master and "
             "workers (/proc) over the run / requests answered; on PostgreSQL the database server's own CPU "
             "(postmaster and backends) is the separate PG column. p50/p99 of the mix: mean over the rounds. "
             "The ceiling is bench/ceiling_app.py (static 2 KB JSON) with the same script.", ""]
    for database, result in results.items():
        labels = result["targets"]
        pg = database == "postgres" and result["mix"][labels[0]].get("db_cpu_ms") is not None
        top, end = result["ceiling_start"], result["ceiling_end"]
        facts = result["facts"][labels[0]]
        ceiling_cpu = (top["cpu_ms"] + end["cpu_ms"]) / 2
        lines += [f"### {'SQLite' if database == 'sqlite' else 'PostgreSQL'}", "",
                  f"Data: seed ({len(facts['product_ids'])} active products, {len(facts['category_ids'])} categories) "
                  f"+ {HISTORY} orders for each of the 40 customers placed untimed through the API "
                  f"({facts.get('orders_at_end')} orders at the end), {facts['spares']} spare buyers for checkouts.",
                  f"Ceiling: {top['rps']:.0f} req/s, {top['cpu_ms']:.3f} ms CPU/req at the start; "
                  f"{end['rps']:.0f} req/s, {end['cpu_ms']:.3f} ms at the end.", "",
                  "| mix | req/s | server CPU ms/req | " + ("PG CPU ms/req | " if pg else "")
                  + "CPU vs ceiling | p50 ms | p99 ms | 4xx | 5xx | socket errors | CPU ms/req per round |",
                  "|---|" + "---:|" * (9 if pg else 8) + "---|"]
        for label in labels:
            m = result["mix"][label]
            rounds = " / ".join(f"{r['cpu_ms']:.3f}" for r in m["rounds"])
            lines.append(f"| {label} | {m['rps']:.0f} | {m['cpu_ms']:.3f} | "
                         + (f"{m['db_cpu_ms']:.3f} | " if pg else "")
                         + f"{m['cpu_ms'] / ceiling_cpu:.1f}x | {m['p50_ms']:.2f} | {m['p99_ms']:.2f} | {m['n4xx']} | "
                         f"{m['n5xx']} | {m['socket_errors']} | {rounds} |")
        if len(labels) == 2:
            a, b = result["mix"][labels[0]], result["mix"][labels[1]]
            lines.append(f"| {labels[0]} / {labels[1]} | {ratio(a['rps'], b['rps'])} | {ratio(a['cpu_ms'], b['cpu_ms'])} | "
                         + (f"{ratio(a['db_cpu_ms'], b['db_cpu_ms'])} | " if pg else "")
                         + f" | {ratio(a['p50_ms'], b['p50_ms'])} | {ratio(a['p99_ms'], b['p99_ms'])} | | | | |")
        for label in labels:
            m = result["mix"][label]
            total = max(sum(m["issued"].values()), 1)
            lines += ["", f"Mix as issued ({label}): " + ", ".join(
                f"{k} {100 * m['issued'].get(k, 0) / total:.1f}%" for k, _, _ in KINDS)
                + f"; checkouts {m['regular_checkouts']} by the 40 customers, {m['spare_used']} by spare buyers."]
        lines.append("")
        if result["kinds"][labels[0]]:
            other = {labels[0]: labels[-1], labels[-1]: labels[0]}
            two = len(labels) == 2
            lines += ["| kind | mix % | revision | req/s | server CPU ms/req | " + ("PG CPU ms/req | " if pg else "")
                      + "p50 ms | p99 ms | errors | " + ("CPU vs the other | " if two else "") + "share of mix CPU |",
                      "|---|---:|---|" + "---:|" * (6 + pg + two)]
            weighted = {label: {k: kinds_weight[k] * result["kinds"][label][k]["cpu_ms"] for k, _, _ in KINDS}
                        for label in labels}
            for kind, weight, _ in KINDS:
                for label in labels:
                    r = result["kinds"][label][kind]
                    versus = (ratio(r["cpu_ms"], result["kinds"][other[label]][kind]["cpu_ms"]) + " | "
                              if two else "")
                    share = 100 * weighted[label][kind] / sum(weighted[label].values())
                    lines.append(f"| {kind} | {weight} | {label} | {r['rps']:.0f} | {r['cpu_ms']:.3f} | "
                                 + (f"{r['db_cpu_ms']:.3f} | " if pg else "")
                                 + f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} | {versus}{share:.0f}% |")
            lines += [""] + [f"Weighted sum of the kinds alone ({label}): {sum(weighted[label].values()) / 100:.3f} ms "
                             f"CPU/req; the mix measured {result['mix'][label]['cpu_ms']:.3f}." for label in labels]
            lines += ["\"share of mix CPU\" = mix weight x server CPU of the kind alone, over the sum. "
                      "Errors = 4xx + 5xx + socket errors.", ""]
    errors = [f"{db} {label} {name}: {e}" for db, result in results.items() for label in result["targets"]
              for name, r in [("mix", result["mix"][label]), *result["kinds"][label].items()]
              for e in r.get("first_errors", [])]
    if errors:
        lines += ["First 4xx/5xx answer of each wrk thread that had one:", ""] + [f"- {e}" for e in errors] + [""]
    lines += ["Kinds: " + "; ".join(f"**{k}** {w}%: {what}" for k, w, what in KINDS) + "."]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description="Go2Market shop-traffic benchmark (see bench/README.md)")
    parser.add_argument("--duration", type=int, default=20, help="seconds per mix run (default 20)")
    parser.add_argument("--kind-duration", type=int, default=5, help="seconds per each-kind-alone run (default 5)")
    parser.add_argument("--rounds", type=int, default=2, help="mix runs per revision and database (default 2)")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite,postgres")
    parser.add_argument("--no-kinds", action="store_true", help="skip the each-kind-alone runs")
    parser.add_argument("--compare", metavar="REV", help="also measure this git revision, interleaved")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting of the current revision only (repeatable), e.g. CACHE_REDIS_URL=redis://...")
    parser.add_argument("--pg-url", default=os.environ.get("PG_URL"), help="PostgreSQL server (default $PG_URL)")
    parser.add_argument("--pg-data", default=os.environ.get("PG_DATA"),
                        help="its data directory, to read its CPU time (default $PG_DATA; shop.sh sets both)")
    args = parser.parse_args()
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if set(databases) - {"sqlite", "postgres"} or not databases:
        sys.exit("--databases takes sqlite and/or postgres")
    if "postgres" in databases and not args.pg_url:
        sys.exit("postgres needs PG_URL (bash bench/shop.sh starts a throwaway server) or --pg-url")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: bash bench/shop.sh installs it")
    started, clock = datetime.now(timezone.utc), time.monotonic()
    loads = [Path("/proc/loadavg").read_text().split()[0]]
    results = {}
    with tempfile.TemporaryDirectory(prefix="g2m-shop-") as workdir:
        revisions = [Revision.current(dict(item.split("=", 1) for item in args.set))]
        try:
            if args.compare:
                revisions.append(Revision.checkout(args.compare, workdir))
            postgres = Postgres(args.pg_url) if "postgres" in databases else None
            for database in databases:
                results[database] = measure_database(database, revisions, args, Path(workdir) / database,
                                                     postgres if database == "postgres" else None)
        finally:
            for revision in revisions:
                revision.remove()
    loads.append(Path("/proc/loadavg").read_text().split()[0])
    text = report(results, revisions, args, started, time.monotonic() - clock, loads)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "shop-latest.md").write_text(text + "\n")
    (RESULTS / "shop-latest.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    print("\n" + text + f"\n\nsaved to {RESULTS / 'shop-latest.md'}")


if __name__ == "__main__":
    main()
