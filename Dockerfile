# SimLane's one image: every process of a deployment runs from it with a different command (see compose.yaml and
# docs/deployment.md): `simlane web`, `simlane bot`, `celery -A config worker`, `celery -A config beat`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    SIMLANE_DATA_DIR=/data

WORKDIR /app
# The locked dependencies first: a code change does not reinstall them.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install -r requirements/lock.txt
COPY pyproject.toml README.md LICENSE ./
COPY config config
COPY simlane simlane
RUN pip install --no-deps . \
    && DJANGO_SECRET_KEY=collectstatic-only simlane collectstatic --noinput \
    && useradd --system --home /app simlane \
    && mkdir -p /data && chown simlane /data
USER simlane
VOLUME ["/data"]
EXPOSE 8000 8001
# Each service of compose.yaml gives its own command; alone, the image serves the web app.
CMD ["simlane", "web", "--host", "0.0.0.0", "--port", "8000"]
