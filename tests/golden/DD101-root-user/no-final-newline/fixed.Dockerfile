# The last line has no line end: the new lines keep it that way
FROM alpine:3.22
RUN apk add --no-cache tini
RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app -h /nonexistent -s /sbin/nologin app
USER 10001:10001