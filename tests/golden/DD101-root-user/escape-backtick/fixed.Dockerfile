# escape=`
# Windows-style escape: a continuation in the new text would use a backtick
FROM debian:12-slim
RUN apt-get update `
    && apt-get install -y curl
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
USER 10001:10001
CMD ["bash"]
