"""The real background worker (`flask worker`) in a subprocess, on the tests' database and task queue."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Worker:
    """`flask worker` for the test app's database and queue; settings overridden by env; stopped by its PID."""

    def __init__(self, app, log_dir, **env):
        self.log = Path(log_dir) / f"worker-{time.monotonic_ns()}.log"
        self.environment = {
            **os.environ, "FLASK_APP": "run.py", "FLASK_ENV": "testing",
            "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "TASK_QUEUE_URL": app.config["TASK_QUEUE_URL"],
            **{name: str(value) for name, value in env.items()},
        }
        app.extensions["huey"].flush()  # tasks queued by earlier tests name rows that are gone
        self.process = None
        self.start()

    def start(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "flask", "worker"], cwd=ROOT, env=self.environment,
                                            stdout=log, stderr=subprocess.STDOUT)

    def kill(self):
        """SIGKILL: the worker dies wherever it is, as in a crash."""
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Huey's graceful stop: running tasks finish
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self):
        return self.log.read_text(errors="replace")


def wait_for(condition, timeout=30, interval=0.1, message="condition"):
    """Poll condition() until it returns something truthy; that value, or an AssertionError at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")
