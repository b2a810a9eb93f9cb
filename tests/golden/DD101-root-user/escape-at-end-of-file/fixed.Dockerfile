FROM alpine:3.20
# the last line ends with an escape: a line added after it would join the RUN
RUN apk add --no-cache curl 
RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app -h /nonexistent -s /sbin/nologin app
USER 10001:10001
