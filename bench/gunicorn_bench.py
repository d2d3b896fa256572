"""gunicorn settings of the benchmark: the repository's gunicorn.conf.py (2 workers, sync) without the access log."""
from pathlib import Path

exec(compile(Path(__file__).resolve().parent.parent.joinpath("gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"))

accesslog = None  # writing one line per request would be measured too; a proxy in front usually logs instead
