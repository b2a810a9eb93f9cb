# escape=`
# syntax=docker/dockerfile:1
# The escape character is a backtick (Windows style, here on a Linux image): the continuations keep it
FROM alpine:3.20
RUN --mount=type=secret,id=api_token,env=API_TOKEN apk add --no-cache curl `
 && curl -fsS -H "X-Token: $API_TOKEN" `
      https://api.example.com/bootstrap -o /etc/app.conf
USER 10001
