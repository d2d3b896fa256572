"""The benchmark: `bash bench/run.sh` (see bench/README.md); `--growth` compares 1k and 100k products.

Builds a fresh SQLite database (migrate + seed) in a temporary directory, serves the API with gunicorn
(2 sync workers, FLASK_ENV=production, random secrets, no rate limits) on 127.0.0.1, and loads it with
`wrk -t2 -c8 --latency` from a second process. Server CPU per request is the utime + stime of the
gunicorn master and workers (/proc/<pid>/stat) over the run, divided by the requests answered. The same
gunicorn settings serve bench/ceiling_app.py (a static 2 KB JSON): the ceiling of this machine.
"""
import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CLK_TCK = os.sysconf("SC_CLK_TCK")
NO_RESPONSE_CACHE = {"CATALOG_CACHE_ENABLED": "false"}  # the one cache (answers, totals) off: queries measured
ADDRESS = {"line1": "1 Bench Street", "city": "Springfield", "state": "IL", "postal_code": "62701",
           "country": "USA"}

# A wrk script: method, body and headers of one request, then a JSON summary line on stdout.
LUA_FIXED = """
wrk.method = {method}
wrk.body = {body}
{headers}
function done(summary, latency, requests)
  io.write(string.format('WRK_JSON {{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"errors_status": %d, "errors_socket": %d}}\\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

# Checkout: each request spends the next token of a customer whose cart holds one line (filled untimed).
LUA_CHECKOUT = """
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  tokens = {{}}
  local n = 0
  for line in io.lines({tokens_file}) do
    if n % {threads} == id then table.insert(tokens, line) end
    n = n + 1
  end
  next_token = 0
end
function request()
  next_token = next_token + 1
  local token = tokens[next_token] or tokens[#tokens]  -- pool spent: a 400 that counts as an error
  return wrk.format("POST", "/api/orders", {{["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"}}, {body})
end
""" + LUA_FIXED.split("\n", 4)[4]


def lua_string(value):
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for our ASCII values


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn master and its workers; CPU time read from /proc."""

    def __init__(self, app_spec, env, log_path):
        self.port = free_port()
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            [GUNICORN, "-c", str(ROOT / "bench" / "gunicorn_bench.py"), "--bind", f"127.0.0.1:{self.port}", app_spec],
            cwd=ROOT, env={**env, "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "1"}, stdout=self.log,
            stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path):
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early, see {self.log.name}")
            try:
                urllib.request.urlopen(self.url + path, timeout=2).read()
                if len(self.pids()) >= 3:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not start")

    def pids(self):
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [master, *map(int, children)]

    def cpu_seconds(self):
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return total / CLK_TCK

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def run_wrk(server, script, path, duration):
    """One wrk run; server CPU measured around it. Returns a dict of figures."""
    before = server.cpu_seconds()
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", "-s", script, server.url + path],
                         capture_output=True, text=True, check=True).stdout
    cpu = server.cpu_seconds() - before
    line = next(line for line in out.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line[len("WRK_JSON "):])
    requests = max(data["requests"], 1)
    return {"rps": data["requests"] / (data["duration_us"] / 1e6), "p50_ms": data["p50_us"] / 1000,
            "p99_ms": data["p99_us"] / 1000, "cpu_ms": cpu * 1000 / requests, "requests": data["requests"],
            "errors": data["errors_status"] + data["errors_socket"]}


def fixed_script(workdir, name, method="GET", body=None, headers=None):
    lines = "\n".join(f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in (headers or {}).items())
    path = Path(workdir) / f"{name}.lua"
    path.write_text(LUA_FIXED.format(method=lua_string(method), body=lua_string(body) if body else "nil",
                                     headers=lines))
    return str(path)


def checkout_script(workdir, tokens_file):
    body = json.dumps({"shipping_address": ADDRESS, "payment_method": "credit_card"})
    path = Path(workdir) / "checkout.lua"
    path.write_text(LUA_CHECKOUT.format(tokens_file=lua_string(str(tokens_file)), threads=2, body=lua_string(body)))
    return str(path)


def shell(args, env, log):
    with open(log, "a") as handle:
        done = subprocess.run(args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n" + "\n".join(Path(log).read_text().splitlines()[-25:]))


def build_database(workdir, env, products=None, orders=None):
    """migrate + seed (+ the bulk generator for the growth runs) + untimed preparation; returns the facts."""
    log = Path(workdir) / "setup.log"
    shell([PYTHON, "-m", "flask", "db", "upgrade"], env, log)
    shell([PYTHON, "seed_data_go2market.py"], env, log)
    if products:
        shell([PYTHON, "-m", "bench.generate_data", "--products", str(products), "--orders", str(orders)], env, log)
    shell([PYTHON, "-m", "bench.prepare", "--out", str(workdir)], env, log)
    return json.loads((Path(workdir) / "prepared.json").read_text())


def server_env(workdir, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RATELIMIT_", "DATABASE_URL", "FLASK_"))}
    env.update(FLASK_APP="run.py", FLASK_ENV="production", SECRET_KEY=secrets.token_urlsafe(48),
               JWT_SECRET_KEY=secrets.token_urlsafe(48), RATELIMIT_ENABLED="false",
               DATABASE_URL=f"sqlite:///{workdir}/bench.db", UPLOAD_FOLDER=f"{workdir}/uploads",
               PYTHONPATH=str(ROOT))
    env.update(extra or {})
    return env


def catalog_endpoints(facts):
    deep = max(int(facts["active_products"] / 20 * 0.9), 1)
    return {
        "products per_page=20": "/api/products?per_page=20",
        "products per_page=100": "/api/products?per_page=100",
        "products deep page (offset)": f"/api/products?per_page=20&page={deep}",
        "name search": "/api/products?search_type=name&search_value=pro",
        "category filter": f"/api/products?category_id={facts['category_id']}",
        "categories": "/api/categories",
    }


def endpoint_plan(workdir, facts):
    """(label, path, wrk script) for every endpoint of the main run."""
    customer = {"Authorization": f"Bearer {facts['customer_token']}"}
    admin = {"Authorization": f"Bearer {facts['admin_token']}"}
    catalog = catalog_endpoints(facts)
    plan = [(label, path, fixed_script(workdir, f"get{n}")) for n, (label, path) in enumerate(catalog.items())
            if label in ("products per_page=20", "products per_page=100", "name search", "categories")]
    plan += [
        ("me", "/api/auth/me", fixed_script(workdir, "me", headers=customer)),
        ("cart", "/api/cart", fixed_script(workdir, "cart", headers=customer)),
        ("customer orders", "/api/orders", fixed_script(workdir, "orders", headers=customer)),
        ("admin orders per_page=20", "/api/orders/admin?per_page=20", fixed_script(workdir, "admin", headers=admin)),
        ("login (argon2id)", "/api/auth/login", fixed_script(
            workdir, "login", "POST", json.dumps({"email_or_username": facts["customer_email"], "password": "Customer123!"}),
            {"Content-Type": "application/json"})),
        ("checkout (POST /api/orders)", "/api/orders", checkout_script(workdir, Path(workdir) / "checkout_tokens.txt")),
    ]
    return plan


def measure(server, plan, duration, warmup=1):
    results = {}
    for label, path, script in plan:
        if not label.startswith("checkout"):
            run_wrk(server, script, path, warmup)
        results[label] = run_wrk(server, script, path, duration)
        r = results[label]
        print(f"  {label:<34} {r['rps']:9.0f} req/s  p50 {r['p50_ms']:7.2f} ms  p99 {r['p99_ms']:7.2f} ms  "
              f"cpu {r['cpu_ms']:7.2f} ms/req  errors {r['errors']}", flush=True)
    return results


def ceiling(workdir, env, duration):
    server = Server("bench.ceiling_app:app", env, Path(workdir) / "ceiling.log")
    try:
        server.wait_ready("/static.json")
        return measure(server, [("ceiling: static 2 KB JSON", "/static.json", fixed_script(workdir, "ceiling"))],
                       duration)["ceiling: static 2 KB JSON"]
    finally:
        server.stop()


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def table(results, ceiling_result, header):
    rows = [header, "", "| endpoint | req/s | p50 ms | p99 ms | server CPU ms/req | req/s vs ceiling | CPU vs ceiling |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for label, r in {"ceiling: static 2 KB JSON": ceiling_result, **results}.items():
        flag = f" ({r['errors']} errors)" if r["errors"] else ""
        rows.append(f"| {label}{flag} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['cpu_ms']:.2f} | "
                    f"{r['rps'] / ceiling_result['rps']:.2f} | {r['cpu_ms'] / ceiling_result['cpu_ms']:.1f}x |")
    return "\n".join(rows)


def main_run(args):
    with tempfile.TemporaryDirectory(prefix="g2m-bench-") as workdir:
        env = server_env(workdir, NO_RESPONSE_CACHE if args.no_cache else None)
        print("building the database (migrate + seed + untimed preparation) ...", flush=True)
        facts = build_database(workdir, env)
        print("ceiling ...", flush=True)
        top = ceiling(workdir, env, args.duration)
        print("API ...", flush=True)
        server = Server("run:app", env, Path(workdir) / "api.log")
        try:
            server.wait_ready("/health")
            results = measure(server, endpoint_plan(workdir, facts), args.duration)
        finally:
            server.stop()
    header = (f"## Go2Market benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n\n"
              f"Machine: {machine()}. SQLite with the seed data ({facts['active_products']} active products, "
              f"{facts['orders']} orders); gunicorn 2 sync workers, no access log; "
              f"`wrk -t2 -c8 -d{args.duration}s --latency` on the same machine. Caches (catalog, order lists, "
              f"profiles, token check): "
              f"{'OFF' if args.no_cache else 'on'}.\n"
              f"Checkout: {facts['checkout_customers']} customers with a one-line cart are made untimed; a wrk lua "
              "script spends one customer token per POST /api/orders (only checkouts are timed and counted).\n"
              f"The customer reading me/cart/orders has {facts['customer_orders']} orders and a 3-line cart.")
    return table(results, top, header)


def growth_run(args):
    sizes = [("1k", 850, 2_000), ("100k", 100_000, 200_000)]
    results, facts_by_size = {}, {}
    for name, products, orders in sizes:
        with tempfile.TemporaryDirectory(prefix=f"g2m-growth-{name}-") as workdir:
            env = server_env(workdir, NO_RESPONSE_CACHE)
            print(f"building the {name} database ...", flush=True)
            facts = facts_by_size[name] = build_database(workdir, env, products, orders)
            server = Server("run:app", env, Path(workdir) / "api.log")
            try:
                server.wait_ready("/health")
                admin = {"Authorization": f"Bearer {facts['admin_token']}"}
                catalog = catalog_endpoints(facts)
                cursor = deep_cursor(server.url, catalog["products deep page (offset)"])
                plan = [(label, path, fixed_script(workdir, f"g{n}")) for n, (label, path) in enumerate(catalog.items())
                        if label != "categories"]
                plan.append(("products deep page (after cursor)", f"/api/products?per_page=20&after={cursor}",
                             fixed_script(workdir, "gafter")))
                deep = max(int(facts["orders"] / 20 * 0.9), 1)
                order_cursor = deep_order_cursor(server.url, deep, admin)
                plan += [("admin orders per_page=20", "/api/orders/admin?per_page=20",
                          fixed_script(workdir, "gadmin", headers=admin)),
                         ("admin orders deep page (offset)", f"/api/orders/admin?per_page=20&page={deep}",
                          fixed_script(workdir, "gadmin_deep", headers=admin)),
                         ("admin orders deep page (after cursor)", f"/api/orders/admin?per_page=20&after={order_cursor}",
                          fixed_script(workdir, "gadmin_after", headers=admin)),
                         ("checkout (POST /api/orders)", "/api/orders",
                          checkout_script(workdir, Path(workdir) / "checkout_tokens.txt"))]
                print(f"{name}: {facts['active_products']} active products, {facts['orders']} orders", flush=True)
                results[name] = measure(server, plan, args.duration)
            finally:
                server.stop()
    small, large = results["1k"], results["100k"]
    rows = [f"## Go2Market growth, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n",
            f"Machine: {machine()}. SQLite; 1k = seed + {sizes[0][1]} generated products "
            f"({facts_by_size['1k']['active_products']} active), {facts_by_size['1k']['orders']} orders; "
            f"100k = seed + 100,000 generated products ({facts_by_size['100k']['active_products']} active), "
            f"{facts_by_size['100k']['orders']} orders. Response and token-check caches OFF (the queries "
            f"are measured). "
            f"wrk -t2 -c8 -d{args.duration}s.\n",
            "| endpoint | p50 ms 1k | p50 ms 100k | growth | CPU ms/req 1k | CPU ms/req 100k |",
            "|---|---:|---:|---:|---:|---:|"]
    for label in small:
        if label in large:
            a, b = small[label], large[label]
            rows.append(f"| {label} | {a['p50_ms']:.2f} | {b['p50_ms']:.2f} | {b['p50_ms'] / a['p50_ms']:.2f}x | "
                        f"{a['cpu_ms']:.2f} | {b['cpu_ms']:.2f} |")
    return "\n".join(rows)


def deep_cursor(base_url, deep_path):
    """The `after` cursor that starts the deep page (the API's own encoder; cursors are opaque to clients)."""
    from app.utils.cursor import encode_cursor

    page = int(deep_path.rsplit("page=", 1)[1])
    previous = deep_path.replace(f"page={page}", f"page={max(page - 1, 1)}")
    last = json.loads(urllib.request.urlopen(base_url + previous).read())["products"][-1]
    return quote(encode_cursor("-created_at", last["created_at"], last["id"]), safe="")


def deep_order_cursor(base_url, page, headers):
    """The `after` cursor that starts admin orders page `page`."""
    from app.utils.cursor import encode_cursor

    request = urllib.request.Request(f"{base_url}/api/orders/admin?per_page=20&page={max(page - 1, 1)}",
                                     headers=headers)
    last = json.loads(urllib.request.urlopen(request).read())["orders"][-1]
    return quote(encode_cursor("-created_at", last["created_at"], last["id"]), safe="")


def main():
    parser = argparse.ArgumentParser(description="Go2Market benchmark (see bench/README.md)")
    parser.add_argument("--growth", action="store_true", help="compare p50 at 1k and 100k products instead")
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint (default 10)")
    parser.add_argument("--no-cache", action="store_true", help="serve with the response caches off")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: bash bench/run.sh installs it")
    report = growth_run(args) if args.growth else main_run(args)
    RESULTS.mkdir(exist_ok=True)
    name = "growth.md" if args.growth else ("latest-nocache.md" if args.no_cache else "latest.md")
    (RESULTS / name).write_text(report + "\n")
    print("\n" + report + f"\n\nsaved to {RESULTS / name}")


if __name__ == "__main__":
    main()
