# syntax=docker/dockerfile:1
# The last build step is a heredoc RUN: USER goes after its body
FROM debian:12-slim
RUN <<EOT
set -e
apt-get update
apt-get install -y --no-install-recommends curl
EOT
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
USER 10001:10001
CMD ["curl", "--version"]
