# Go2Market API image: slim Python, non-root user, gunicorn.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    FLASK_APP=run.py FLASK_ENV=production PORT=5000

# unixodbc: runtime library of pyodbc (SQL Server); curl: the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends unixodbc curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt requirements-local.txt ./
RUN pip install -r requirements.txt

COPY app ./app
COPY migrations ./migrations
COPY config.py run.py wsgi.py seed_data_go2market.py gunicorn.conf.py ./

RUN useradd --create-home --uid 1000 app \
    && mkdir -p /app/instance /app/app/static/uploads/products \
    && chown -R app:app /app/instance /app/app/static/uploads
USER app

EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1

CMD ["sh", "-c", "flask db upgrade && exec gunicorn --config gunicorn.conf.py wsgi:app"]
