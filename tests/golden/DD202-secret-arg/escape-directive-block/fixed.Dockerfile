# escape=\
# check=error=true
# syntax=docker/dockerfile:1
# The syntax line goes after the parser directive block, never above it
FROM alpine:3.20
RUN --mount=type=secret,id=sentry_auth_token,env=SENTRY_AUTH_TOKEN apk add --no-cache curl \
 && curl -fsS -H "Authorization: Bearer $SENTRY_AUTH_TOKEN" https://sentry.example.com/api/0/ -o /dev/null
USER 10001
