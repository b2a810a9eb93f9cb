# A folder the app writes (--writable) that a COPY fills gets --chown, not a chown -R layer
FROM debian:13-slim
COPY app /opt/app
COPY --chown=10001:10001 seed-data/ /var/lib/app/
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
USER 10001:10001
CMD ["/opt/app/run"]
