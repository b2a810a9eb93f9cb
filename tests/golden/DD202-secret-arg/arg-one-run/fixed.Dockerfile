# syntax=docker/dockerfile:1
# A secret build argument used by one RUN becomes a secret mount on that RUN only; the syntax line goes above this comment
FROM alpine:3.20
RUN apk add --no-cache curl
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN curl -fsSL -H "Authorization: Bearer ${GITHUB_TOKEN}" -o /tmp/tool.tgz https://api.github.com/repos/org/tool/tarball/v1.2.3
USER 10001
