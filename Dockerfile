# syntax=docker/dockerfile:1
# agenda-bot: migrates and seeds its database on start (deploy/start.sh), then
# serves Slack, calendar feeds, /healthz, /readyz and /metrics on port 3000.
# compose.yaml runs two of these on PostgreSQL behind one port.

FROM python:3.11.14-slim-bookworm AS build
WORKDIR /src
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# Dependencies first, from the lock file, so code changes reuse this layer.
COPY requirements.lock ./
RUN python -m venv /opt/agenda && /opt/agenda/bin/pip install -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY models ./models
COPY scheduling ./scheduling
COPY seeds ./seeds
RUN /opt/agenda/bin/pip install --no-deps .

FROM python:3.11.14-slim-bookworm
# A font with Japanese glyphs (IPAex Gothic, 4 MB), so the digest's chart is drawn in Japanese for a
# Japanese channel instead of falling back to English labels (handlers/views/chart.py finds it).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-ipaexfont-gothic \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 agenda && mkdir /data && chown agenda /data
COPY --from=build /opt/agenda /opt/agenda
COPY deploy/start.sh /opt/agenda/bin/agenda-start
ENV PATH=/opt/agenda/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////data/agenda.db \
    AGENDA_HOST=0.0.0.0 \
    AGENDA_PORT=3000
USER agenda
WORKDIR /home/agenda
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=2).status != 200)"]
STOPSIGNAL SIGTERM
CMD ["agenda-start"]
