FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY project ./project
COPY statements ./statements
RUN pip install ".[multilingual]"
COPY . .

RUN useradd --system --home /app parallax && chown -R parallax /app
USER parallax

EXPOSE 8000
# Migrate and collect static files at start (the database is only reachable then), then serve.
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py collectstatic --no-input && exec gunicorn project.wsgi:application --bind 0.0.0.0:8000 --workers 3 --access-logfile -"]
