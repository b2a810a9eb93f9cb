FROM debian:12-slim
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app \
    && mkdir -p /data && chown 10001:10001 /data
USER 10001:10001
# only /data is a plain path: the other is never written into a RUN command
VOLUME /srv/x;reboot /data
CMD ["/app"]
