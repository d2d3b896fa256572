"""gunicorn settings, overridable from the environment."""
import gc
import glob
import os
import shutil
import tempfile

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
accesslog = "-"
# gunicorn's default line, then the answer's X-Request-ID: the id that the app's own log lines and error bodies carry.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
_metrics_dir_made_here = None


def on_starting(server):
    """Metrics count from zero at each start: prometheus_client's per-worker files go to a fresh directory.

    The workers inherit PROMETHEUS_MULTIPROC_DIR, which must be set before they import prometheus_client (with
    --preload the master imports the app first: export the variable before starting gunicorn then).
    """
    global _metrics_dir_made_here
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for stale in glob.glob(os.path.join(directory, "*.db")):
            os.remove(stale)
    else:
        _metrics_dir_made_here = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="go2market-metrics-")


def post_worker_init(worker):
    """The app is loaded: its objects live as long as the worker, so the garbage collector stops walking them."""
    gc.freeze()


def child_exit(server, worker):
    """A dead worker's live gauges leave the sums; its counters stay in them."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _metrics_dir_made_here:
        shutil.rmtree(_metrics_dir_made_here, ignore_errors=True)
