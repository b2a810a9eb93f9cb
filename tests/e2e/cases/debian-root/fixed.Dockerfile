FROM debian:bookworm-slim
RUN mkdir -p /srv/app
COPY app.sh /srv/app/app.sh
RUN chmod 0755 /srv/app/app.sh
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
USER 10001:10001
CMD ["/srv/app/app.sh"]
