"""The README tells the truth: its endpoint table is the app's routes, its commands and settings exist."""
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
IGNORED_METHODS = {"HEAD", "OPTIONS"}
UNDOCUMENTED_ENDPOINTS = {"static"}  # Flask's own static files
ENDPOINT_ROW = re.compile(r"^\|\s*([A-Z]+)\s*\|\s*`(/[^`]*)`\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$")


def section(title):
    """The lines of a README section, up to the next heading of the same or a higher level (code blocks skipped)."""
    lines, level, in_code = [], None, False
    for line in README.splitlines():
        in_code ^= line.startswith("```")
        heading = None if in_code else re.match(r"^(#+) (.*)$", line)
        if level is None:
            level = len(heading.group(1)) if heading and heading.group(2) == title else None
        elif heading and len(heading.group(1)) <= level:
            break
        else:
            lines.append(line)
    assert level is not None, f"README has no section {title!r}"
    return "\n".join(lines)


def normalise(path):
    """/api/orders/<int:order_id> and /api/orders/<id> both become /api/orders/<>."""
    return re.sub(r"<[^>]+>", "<>", path)


def endpoint_rows():
    rows = [ENDPOINT_ROW.match(line) for line in section("Endpoint reference").splitlines()]
    return [(m.group(1), m.group(2), m.group(3), m.group(4)) for m in rows if m and m.group(1) in METHODS]


TABLE_ROWS = endpoint_rows()
# Who may call, as the table says it, and the roles that means.
ROLES_OF = {
    "public": {"anonymous", "customer", "cashier", "manager", "admin"},
    "any user": {"customer", "cashier", "manager", "admin"},
    "customer": {"customer"},
    "staff": {"cashier", "manager", "admin"},
    "manager, admin": {"manager", "admin"},
    "admin": {"admin"},
}


@pytest.fixture(scope="module")
def table_rows():
    return TABLE_ROWS


@pytest.fixture(scope="module")
def app_routes(app):
    return {(method, normalise(rule.rule)) for rule in app.url_map.iter_rules()
            if rule.endpoint not in UNDOCUMENTED_ENDPOINTS for method in rule.methods - IGNORED_METHODS}


def test_every_route_is_in_the_endpoint_table(table_rows, app_routes):
    documented = {(method, normalise(path)) for method, path, _, _ in table_rows}
    assert app_routes - documented == set()


def test_every_table_row_is_a_real_route(table_rows, app_routes):
    documented = [(method, normalise(path)) for method, path, _, _ in table_rows]
    assert set(documented) - app_routes == set()
    assert len(documented) == len(set(documented)), "a route is listed twice"


def test_every_row_says_who_may_call_and_what_it_does(table_rows):
    for method, path, who, description in table_rows:
        assert who in ROLES_OF or who == "refresh token", (method, path, who)
        assert len(description) >= 8, (method, path)


@pytest.mark.parametrize("method, path, who", [row[:3] for row in TABLE_ROWS if row[2] in ROLES_OF],
                         ids=[f"{row[0]} {row[1]}" for row in TABLE_ROWS if row[2] in ROLES_OF])
def test_who_column_matches_what_the_server_enforces(client, actors, method, path, who):
    """Each role either passes the guards (any answer but 401/403) or gets 403 (401 without a token)."""
    url = re.sub(r"<[^>]+>", "999999", path)  # unknown ids: allowed callers get 400/404, nothing changes
    for role, actor in actors.items():
        response = client.open(url, method=method, headers=actor.headers if actor else {},
                               json={} if method in ("POST", "PUT") else None)
        response.close()  # a streamed answer (the CSV export) ends its request context now, not when collected
        if role in ROLES_OF[who]:
            assert response.status_code not in (401, 403), (role, response.status_code, response.get_json())
        else:
            assert response.status_code == (401 if actor is None else 403), (role, response.status_code)


def test_the_quick_start_commands_exist_and_are_executable():
    commands = re.findall(r"^(\./scripts/[\w.]+)\s*$", section("Quick start: two commands"), re.M)
    assert commands == ["./scripts/run_dev.sh", "./scripts/test.sh"]
    for command in commands:
        script = ROOT / command
        assert script.is_file() and os.access(script, os.X_OK), command


def test_every_script_named_in_the_readme_exists():
    for name in set(re.findall(r"scripts/([\w.]+\.sh)", README)):
        assert (ROOT / "scripts" / name).is_file(), name


def test_configuration_table_lists_every_setting_of_env_example():
    settings = re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    documented = re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", section("Configuration"), re.M)
    assert settings and sorted(settings) == sorted(documented)


def test_test_accounts_are_the_seed_accounts():
    accounts = section("Test accounts")
    for email, password in [("admin@ecommerce.com", "Admin123!"), ("manager@ecommerce.com", "Manager123!"),
                            ("cashier@ecommerce.com", "Cashier123!"), ("customer1@email.com", "Customer123!")]:
        assert re.search(rf"\| {re.escape(email)} .*\| {re.escape(password)} \|", accounts), email


def test_performance_section_has_the_command_the_figures_and_the_ceiling():
    text = section("Performance")
    assert "bash bench/run.sh" in text and (ROOT / "bench" / "run.sh").exists()
    assert "bash bench/shop.sh" in text and (ROOT / "bench" / "shop.sh").exists()
    assert "ceiling" in text and "server CPU ms/req" in text
    assert "(bench/README.md)" in text
