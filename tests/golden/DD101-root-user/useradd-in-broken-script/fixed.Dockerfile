FROM debian:12-slim
# the quote is never closed: the shell reads "app" plus the lines after it as one word
RUN <<EOT
useradd --uid 10001 "app"'
fi
EOT
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
USER 10001:10001
