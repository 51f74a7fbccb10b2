# The bot and its web console in a container (docs/operations.md).
#   docker build -t vtcbot .
#   docker run -it --rm vtcbot vtcbot chat          # the offline chat, no token
#   docker run -d --name vtcbot --env-file vtcbot.env -v vtcbot-state:/var/lib/vtcbot \
#     -p 127.0.0.1:8080:8080 -p 127.0.0.1:8443:8443 -p 127.0.0.1:9464:9464 \
#     --stop-timeout 30 vtcbot
# Only the bot's own dependencies: no test tools, no browser.
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /opt/vtcbot
COPY pyproject.toml README.md babel.cfg ./
COPY domain domain
COPY texts texts
COPY bot bot
COPY admin admin
COPY services services
COPY storage storage
COPY emulator emulator
COPY vtcbot vtcbot
COPY data data
COPY deploy deploy
# Installed in place (editable): settings read data/ and the catalogues
# relative to the project folder. The `backup` extra brings Litestream.
RUN python -m venv .venv \
 && .venv/bin/pip install --upgrade pip \
 && .venv/bin/pip install -e '.[backup]' \
 && .venv/bin/pybabel compile -d bot/locales \
 && find . -name '__pycache__' -prune -exec rm -rf {} +

FROM ${PYTHON_IMAGE}
# The certificates' font (DejaVu Sans: every Lithuanian letter).
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/vtcbot \
      --shell /usr/sbin/nologin vtcbot \
 && install -d -m 0700 -o vtcbot -g vtcbot /var/lib/vtcbot
COPY --from=build /opt/vtcbot /opt/vtcbot
ENV PATH=/opt/vtcbot/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_PATH=/var/lib/vtcbot/vtcbot.db \
    # Inside the container every listener takes the container's address;
    # publish them on the host's loopback only (-p 127.0.0.1:...), behind
    # the HTTPS proxy (deploy/Caddyfile).
    ADMIN_HOST=0.0.0.0 \
    WEBHOOK_LISTEN=0.0.0.0 \
    METRICS_HOST=0.0.0.0
WORKDIR /opt/vtcbot
USER vtcbot
VOLUME ["/var/lib/vtcbot"]
EXPOSE 8080 8443 9464
# SIGTERM: a clean stop within STOP_GRACE_SECONDS (15 s); give docker stop
# more than that (--stop-timeout 30, compose's stop_grace_period).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('METRICS_PORT', '9464')}/healthz\", timeout=8)"]
CMD ["vtcbot", "run"]
