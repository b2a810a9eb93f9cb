# A declared VOLUME is where the app writes: made and owned in the user RUN, no chown -R layer
FROM debian:13-slim
RUN apt-get update && apt-get install -y --no-install-recommends sqlite3 \
    && rm -rf /var/lib/apt/lists/*
COPY app /opt/app
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app \
    && mkdir -p /var/lib/app && chown 10001:10001 /var/lib/app
USER 10001:10001
VOLUME /var/lib/app
CMD ["/opt/app/run"]
