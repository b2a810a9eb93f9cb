# syntax=docker/dockerfile:1
# The legacy `ENV NAME value` form holds one pair: the instruction goes whole
FROM alpine:3.20
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN apk add --no-cache git && git clone https://x-access-token:${GITHUB_TOKEN}@github.com/org/private.git /src
USER 10001
