# escape=`
# The new RUN continues its line with the file's own escape character
FROM debian:12-slim
COPY app C:/app
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app `
    && mkdir -p /data && chown 10001:10001 /data
USER 10001:10001
VOLUME /data
CMD ["/app/run"]
