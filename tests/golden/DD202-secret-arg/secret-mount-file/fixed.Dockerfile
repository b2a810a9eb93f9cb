# syntax=docker/dockerfile:1
# --secret-mount file: the RUN reads the secret from /run/secrets (engines without env=)
FROM debian:bookworm-slim
RUN --mount=type=secret,id=npm_token export NPM_TOKEN="$(cat /run/secrets/npm_token)" && test -n "$NPM_TOKEN" && printf '//registry.npmjs.org/:_authToken=%s\n' "$NPM_TOKEN" > /root/.npmrc && echo "installed with $(wc -c < /root/.npmrc)-byte npmrc" > /installed && rm -f /root/.npmrc
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
USER 10001:10001
CMD ["id"]
