"""/api/docs renders its operations in a real headless Chromium, with no network but localhost."""
import re
import shutil
import subprocess
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_swagger_ui_lists_every_path_of_the_spec(client, live_server, tmp_path):
    assert CHROMIUM, "chromium is missing: scripts/test.sh installs it (apt-get install chromium)"
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path}", "--virtual-time-budget=15000", "--dump-dom", f"{live_server}/api/docs"],
        capture_output=True, text=True, timeout=120,
    )
    rendered = set(re.findall(r'class="opblock-summary-path" data-path="([^"]+)"', result.stdout))
    documented = set(client.get("/api/openapi.json").get_json()["paths"])
    assert "/api/health" in rendered
    assert rendered == documented
