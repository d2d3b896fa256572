"""gunicorn settings, overridable from the environment."""
import gc
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
accesslog = "-"
# gunicorn's default line, then the answer's X-Request-ID: the id that the app's own log lines and error bodies carry.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'


def post_worker_init(worker):
    """The app is loaded: its objects live as long as the worker, so the garbage collector stops walking them."""
    gc.freeze()
