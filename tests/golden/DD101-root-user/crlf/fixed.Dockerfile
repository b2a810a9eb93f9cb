# CRLF line endings are kept, and the new lines use them too
FROM alpine:3.22
RUN apk add --no-cache curl
RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app -h /nonexistent -s /sbin/nologin app
USER 10001:10001
CMD ["sh"]
