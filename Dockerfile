# Labelloom: one image for web processes (`labelloom start`) and workers (`labelloom worker`).
# Build: docker build -t labelloom .   (see docs/deployment.md and compose.yaml)
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY . .
RUN python -m pip wheel --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
# postgresql-client: pg_dump/pg_restore for `labelloom backup` / `labelloom restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 labelloom \
    && mkdir -p /data && chown labelloom /data
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER labelloom
ENV LABELLOOM_DATA_DIR=/data \
    LABELLOOM_HOST=0.0.0.0 \
    LABELLOOM_PORT=8080 \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=4)"
ENTRYPOINT ["labelloom"]
CMD ["start"]
